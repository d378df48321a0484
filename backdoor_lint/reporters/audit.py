"""The audit trail every report carries: suppressions by code with their reasons, the baseline
(hidden and stale entries) and the changed-lines mode."""
from __future__ import annotations

from collections import Counter

from backdoor_lint.baseline import safe_text


def suppression_audit(suppressed) -> dict[str, dict[str, int]]:
    """code -> reason -> count, for every suppression that hid a finding in this run."""
    audit: dict[str, Counter] = {}
    for finding, suppression in suppressed:
        audit.setdefault(finding.code, Counter())[suppression.reason] += 1
    return {code: dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))) for code, reasons in sorted(audit.items())}


def audit_lines(result) -> list[str]:
    """Plain-text lines: suppressions by code with their reasons, baseline and diff notes."""
    lines = []
    audit = suppression_audit(result.suppressed)
    if audit:
        lines.append(f"suppressions in this run ({len(result.suppressed)}):")
        for code, reasons in audit.items():
            shown = "; ".join(f"{safe_text(reason)!r}" + (f" x{n}" if n > 1 else "") for reason, n in
                              list(reasons.items())[:5])
            more = f"; +{len(reasons) - 5} more reasons" if len(reasons) > 5 else ""
            lines.append(f"  {code} x{sum(reasons.values())}: {shown}{more}")
    outcome = result.baseline
    if outcome is not None:
        lines.append(f"baseline {safe_text(outcome.file)}: {outcome.hidden} known finding"
                     f"{'s' if outcome.hidden != 1 else ''} hidden")
        if outcome.stale:
            lines.append(f"  {len(outcome.stale)} baseline entr{'ies' if len(outcome.stale) != 1 else 'y'} no longer "
                         "match (fixed or gone); shrink the baseline with --write-baseline:")
            for entry in outcome.stale[:20]:
                lines.append(f"    {safe_text(entry.path)}:{entry.line}: {entry.code}")
            if len(outcome.stale) > 20:
                lines.append(f"    ... and {len(outcome.stale) - 20} more")
    known = result.known_vendored
    if known:
        lines.append(f"{len(known)} unmodified cop{'ies' if len(known) != 1 else 'y'} of published libraries, "
                     "identified by SHA-256, not analysed (a changed byte would have them scanned):")
        for copy in known[:20]:
            lines.append(f"  {safe_text(copy.path)}: {copy.package} {copy.file}")
        if len(known) > 20:
            lines.append(f"  ... and {len(known) - 20} more (listed in --format json)")
    changes = result.changes
    if changes is not None:
        lines.append(f"changed-lines mode: {len(changes.files)} changed file(s) against {safe_text(changes.label)}")
    return lines


def audit_json(result) -> dict:
    data: dict = {"suppressions_by_code": suppression_audit(result.suppressed)}
    outcome = result.baseline
    if outcome is not None:
        data["baseline"] = {"file": outcome.file, "hidden": outcome.hidden,
                            "stale": [{"code": e.code, "path": e.path, "line": e.line, "fingerprint": e.fingerprint}
                                      for e in outcome.stale]}
    known = result.known_vendored
    if known:
        data["known_vendored"] = [copy.to_dict() for copy in known]
    changes = result.changes
    if changes is not None:
        data["changes"] = {"against": changes.label, "staged": changes.staged, "files": sorted(changes.files)}
    return data
