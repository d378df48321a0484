"""BDL602 in Java: Spring Security rules that open what the rest of the configuration protects.

- a catch-all matcher (`anyRequest()`, `anyExchange()`, `"/**"`, `"/*"`) that permits all, when a
  later rule of the same configuration restricts something (the first matching rule wins, so every
  rule after it is dead) or when the configuration sets up a login (`formLogin`, `httpBasic`,
  `oauth2ResourceServer`, an authentication filter) that then protects nothing;
- `permitAll()` on an administrative path (`/admin/**`, `/internal/**`, `/management/**`,
  `/actuator/**`) in a configuration that requires authentication elsewhere: the privileged part
  of the service is the part left open;
- `web.ignoring()` of everything: the whole security filter chain is skipped for every request.

Public paths (health, info, login, static resources, docs) are what `permitAll` is for and are left
alone. Paths are read by value: constants, concatenations and arrays of constants count."""
from __future__ import annotations

import re

from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.syntax import argument_nodes
from backdoor_lint.checkers.lang.values import known

MATCHERS = {"requestMatchers", "antMatchers", "mvcMatchers", "regexMatchers", "pathMatchers", "anyRequest",
            "anyExchange", "securityMatchers"}
ANY = {"anyRequest", "anyExchange"}
CATCH_ALL = {"/**", "**", "/*", "/**/*", "/**/**", ".*", "/.*", "^/.*"}
RESTRICT = re.compile(r"\.(?:authenticated|fullyAuthenticated|hasRole|hasAnyRole|hasAuthority|hasAnyAuthority|"
                      r"denyAll|access|hasIpAddress)\(")
LOGIN_SETUP = re.compile(r"\.(?:formLogin|httpBasic|oauth2ResourceServer|oauth2Login|saml2Login|x509|"
                         r"addFilterBefore|addFilterAt|addFilterAfter)\(")
PRIVILEGED = {"admin", "internal", "management", "manage", "actuator", "ops", "private", "superuser", "root"}
PUBLIC = re.compile(r"(?i)health|info|login|logout|signin|signup|register|public|static|assets|css|js|images|"
                    r"favicon|error|docs|swagger|api-docs|webjars|prometheus|readiness|liveness")


def spring_reports(java) -> list[Report]:
    src = java.source
    if "permitAll" not in src.text(src.root) and "ignoring" not in src.text(src.root):
        return []
    reports = []
    for call in src.of_type("method_invocation"):
        method = src.text(call.child_by_field_name("name"))
        if method == "permitAll":
            reports += _permit_all(java, call)
        elif method in MATCHERS and _ignoring(java, call):
            patterns = _patterns(java, call)
            if method in ANY or patterns & CATCH_ALL:
                reports.append(Report(_name_line(call), "BDL602", (
                    f"`{short(src.text(call))}` removes every request from Spring Security: no filter of the "
                    "chain runs, so no authentication, authorisation, CSRF or header protection applies anywhere. "
                    "Ignore only static resources; use permitAll() for public endpoints.")))
    return reports


def _permit_all(java, permit) -> list[Report]:
    src = java.source
    matcher = permit.child_by_field_name("object")
    if matcher is None or matcher.type != "method_invocation":
        return []
    name = src.text(matcher.child_by_field_name("name"))
    if name not in MATCHERS:
        return []
    patterns = _patterns(java, matcher)
    method = _enclosing_method(permit)
    body = src.data[method.start_byte:method.end_byte].decode("utf-8", "replace") if method is not None else ""
    offset = permit.end_byte - (method.start_byte if method is not None else 0)
    site = f"`{name}({', '.join(sorted(patterns)) if patterns else ''}).permitAll()`"
    span = {"end_line": _name_line(permit)}
    if name in ANY or patterns & CATCH_ALL:
        if RESTRICT.search(body, offset):
            return [Report(_name_line(matcher), "BDL602", (
                f"{site} comes before the rules that require authentication: Spring applies the first rule that "
                "matches, so every request is let in and the later rules never apply. Put the catch-all last, as "
                "`anyRequest().authenticated()`."), **span)]
        if not RESTRICT.search(body) and LOGIN_SETUP.search(body):
            return [Report(_name_line(matcher), "BDL602", (
                f"{site} while the same configuration sets up a login: authentication is configured and then "
                "required nowhere, so every endpoint is open to anonymous callers. End the rules with "
                "`anyRequest().authenticated()` and permit only the public paths."), **span)]
        return []
    opened = sorted(p for p in patterns if _privileged(p))
    if opened and RESTRICT.search(body):
        return [Report(_name_line(matcher), "BDL602", (
            f"{site} opens an administrative path ({', '.join(opened)}) to anonymous callers in a configuration "
            "that requires authentication elsewhere: the privileged part of the service is the part left open. "
            "Require a role there (`.hasRole(\"ADMIN\")`); permit only public paths."), **span)]
    return []


def _patterns(java, matcher) -> set[str]:
    found = set()
    for arg in argument_nodes(matcher):
        value = java.value(arg)
        for item in value if isinstance(value, tuple) else (value,):
            if known(item) and isinstance(item, str):
                found.add(item)
    return found


def _privileged(pattern: str) -> bool:
    words = [w for w in re.split(r"[/.*{}]+", pattern.lower()) if w]
    return bool(words) and (words[0] in PRIVILEGED or "admin" in words or "internal" in words) \
        and not PUBLIC.search(pattern)


def _ignoring(java, matcher) -> bool:
    node = matcher.child_by_field_name("object")
    for _ in range(6):
        if node is None or node.type != "method_invocation":
            return False
        if java.source.text(node.child_by_field_name("name")) == "ignoring":
            return True
        node = node.child_by_field_name("object")
    return False


def _enclosing_method(node):
    while node is not None and node.type not in ("method_declaration", "constructor_declaration"):
        node = node.parent
    return node


def _name_line(call) -> int:
    name = call.child_by_field_name("name")
    return (name or call).start_point[0] + 1
