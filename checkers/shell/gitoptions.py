"""git's long options and how git reads an abbreviation of one (parse-options: an exact name, or a
prefix that only one option starts with; a prefix several start with is refused as ambiguous).

The option lists are git's own (`git <command> --git-completion-helper-all`, git 2.39) for the
commands whose hooks `--no-verify` skips. Other git versions have other lists, so an abbreviation
of --no-verify that this list finds ambiguous is still read as --no-verify (fail closed)."""
from __future__ import annotations

LONG_OPTIONS = {
    "commit": frozenset("""
        quiet verbose file author date message reedit-message reuse-message fixup squash reset-author
        trailer signoff template edit cleanup status gpg-sign all include interactive patch only no-verify
        dry-run short branch ahead-behind porcelain long null amend no-post-rewrite untracked-files
        pathspec-from-file pathspec-file-nul allow-empty allow-empty-message verify post-rewrite no-quiet
        no-verbose no-file no-author no-date no-message no-reedit-message no-reuse-message no-fixup
        no-squash no-reset-author no-signoff no-template no-edit no-cleanup no-status no-gpg-sign no-all
        no-include no-interactive no-patch no-only no-dry-run no-short no-branch no-ahead-behind
        no-porcelain no-long no-null no-amend no-untracked-files no-pathspec-from-file no-pathspec-file-nul
        no-allow-empty no-allow-empty-message """.split()),
    "push": frozenset("""
        verbose quiet repo all mirror delete tags dry-run porcelain force force-with-lease
        force-if-includes recurse-submodules thin receive-pack exec set-upstream progress prune no-verify
        follow-tags signed atomic push-option ipv4 ipv6 verify no-verbose no-quiet no-repo no-all no-mirror
        no-delete no-tags no-dry-run no-porcelain no-force no-force-with-lease no-force-if-includes
        no-recurse-submodules no-thin no-receive-pack no-exec no-set-upstream no-progress no-prune
        no-follow-tags no-signed no-atomic no-push-option no-ipv4 no-ipv6 """.split()),
    "merge": frozenset("""
        stat summary log squash commit edit cleanup ff ff-only rerere-autoupdate verify-signatures strategy
        strategy-option message file into-name verbose quiet abort quit continue allow-unrelated-histories
        progress gpg-sign autostash overwrite-ignore signoff no-verify verify no-stat no-summary no-log
        no-squash no-commit no-edit no-cleanup no-ff no-rerere-autoupdate no-verify-signatures no-strategy
        no-strategy-option no-message no-into-name no-verbose no-quiet no-abort no-quit no-continue
        no-allow-unrelated-histories no-progress no-gpg-sign no-autostash no-overwrite-ignore no-signoff """.split()),
    "rebase": frozenset("""
        onto keep-base no-verify quiet verbose no-stat signoff committer-date-is-author-date
        reset-author-date ignore-date ignore-whitespace whitespace force-rebase no-ff continue skip abort
        quit edit-todo show-current-patch apply merge interactive preserve-merges rerere-autoupdate empty
        keep-empty autosquash update-refs gpg-sign autostash exec allow-empty-message rebase-merges
        fork-point strategy strategy-option root reschedule-failed-exec reapply-cherry-picks verify stat ff
        no-onto no-keep-base no-quiet no-verbose no-signoff no-committer-date-is-author-date
        no-reset-author-date no-ignore-date no-ignore-whitespace no-whitespace no-force-rebase
        no-preserve-merges no-rerere-autoupdate no-keep-empty no-autosquash no-update-refs no-gpg-sign
        no-autostash no-exec no-allow-empty-message no-rebase-merges no-fork-point no-strategy
        no-strategy-option no-root no-reschedule-failed-exec no-reapply-cherry-picks """.split()),
}
# `git am --no-verify` exists in newer git (it skips the applypatch-msg and pre-applypatch hooks)
LONG_OPTIONS["am"] = frozenset({"no-verify", "verify", "quiet", "signoff", "keep", "keep-non-patch", "keep-cr",
                                "scissors", "whitespace", "directory", "exclude", "include", "patch-format",
                                "interactive", "committer-date-is-author-date", "ignore-date", "skip", "gpg-sign",
                                "continue", "resolved", "abort", "quit", "show-current-patch", "3way", "utf8",
                                "message-id", "reject", "allow-empty", "empty", "no-keep-cr", "no-scissors",
                                "no-message-id", "no-utf8", "no-3way", "no-gpg-sign", "no-signoff", "no-quiet"})


def resolve(command: str, token: str) -> set[str]:
    """The long option(s) git may read `token` (`--no-veri`, `--no-verify=x`) as for `command`:
    one name, several when the abbreviation is ambiguous, none when it is not an option."""
    name = token[2:].split("=", 1)[0]
    options = LONG_OPTIONS.get(command)
    if not name or options is None:
        return {name} if name else set()
    if name in options:
        return {name}
    return {option for option in options if option.startswith(name)}


def means_no_verify(command: str, token: str) -> bool:
    return token.startswith("--") and "no-verify" in resolve(command, token)
