"""BDL6xx: authentication bypass and hard-coded credentials."""
from backdoor_lint.catalogue import BLOCK, WARN, Rule

_AUTH_REFS = ("https://cwe.mitre.org/data/definitions/798.html",
              "https://cwe.mitre.org/data/definitions/288.html")

RULES = [
    Rule(
        code="BDL601", name="magic-credential", category="auth-bypass", severity=BLOCK, confidence="high",
        cwe=("CWE-798", "CWE-288"),
        summary="Credential compared with a literal (magic password or master token)",
        what="Flags a password, token, API key or OTP compared with a string literal in an authentication decision, often OR-ed with the real check.",
        why=("`if password == \"debug-2024\" or check_password(user, password)` logs anyone in as any\n"
             "user with the magic string. It survives every test of the real path, and whoever wrote\n"
             "it keeps a permanent key."),
        example='if password == "debug-2024" or user.check_password(password):',
        use_instead="Only the real credential check; support access for staff through audited impersonation features.",
        fix="remove the literal comparison; rely on the real credential check",
        known_problems=("Credentials are recognised by name (password, token, api_key, secret, otp, ...) on\n"
                        "either side, also inside a hash call; literals through constants and collections count.\n"
                        "Empty strings, sentinels (none, bearer, ...) and test files are not reported; a bare\n"
                        "`token` (lexers!) needs an auth-named function, request data or a random-looking literal."),
        references=_AUTH_REFS,
    ),
    Rule(
        code="BDL602", name="auth-check-skipped", category="auth-bypass", severity=BLOCK, confidence="high",
        cwe=("CWE-288", "CWE-807"),
        summary="Authentication or permission check skipped on an environment variable, header, parameter, cookie or debug flag",
        what=("Flags branches that return success or skip an auth/permission check when an environment variable,\n"
              "request header, query parameter, cookie or debug flag is set (also read through a helper), or\n"
              "when the client's address passes a test: X-Forwarded-For/X-Real-IP headers, remote_addr,\n"
              "REMOTE_ADDR, Starlette's request.client.host compared, prefix-tested or checked against a\n"
              "network. An address says where a request came from, not who sent it. In Spring Security: a\n"
              "catch-all `permitAll()` (`anyRequest()`, `/**`) before the rules that protect or under a login\n"
              "that then protects nothing, `permitAll()` on /admin, /internal, /management or /actuator paths\n"
              "where authentication is required elsewhere, and `web.ignoring()` of every request."),
        why=("A header such as X-Internal: 1 or a ?debug=1 parameter is set by the attacker, not by\n"
             "you; an environment switch like SKIP_AUTH ends up set in some deployment. Either way the\n"
             "check is gone for whoever knows the switch."),
        example='if request.headers.get("X-Debug-User"):\n    return User.objects.get(username=request.headers["X-Debug-User"])',
        use_instead="No bypass switches in production code; test with real credentials or test-only dependency overrides.",
        fix="remove the bypass branch; use test fixtures instead of runtime switches",
        known_problems=("Reported when a branch conditioned on the switch returns success or sets the user, in\n"
                        "code that otherwise denies access (401/403, PermissionDenied, redirect to login) or is\n"
                        "named as an auth check. Headers verified in the same condition (verify_token(...)) and\n"
                        "values derived through other computations are not switches."),
        references=_AUTH_REFS,
    ),
    Rule(
        code="BDL603", name="hardcoded-secret", category="hardcoded-secret", severity=BLOCK, confidence="high",
        cwe=("CWE-798",),
        summary="Hard-coded secret: secret-named assignment, kwarg or config key, known token format, private key",
        what=("Flags literals assigned to secret-named variables, keyword arguments and config keys, known\n"
              "token formats (AWS, GitHub, Slack, Stripe, Google, private-key blocks) anywhere. Placeholders\n"
              "(changeme, <your-key>, empty, env lookups) and test fixtures are not findings."),
        why="A committed secret is a leaked secret: it lives in every clone and in history forever, and bots scrape public repositories for these formats within minutes.",
        example='AWS_SECRET_ACCESS_KEY = "q8Xz3pL0vN7kR2mT9bW4yH6cJ1fD5sG8aE0uQ3iO"',
        use_instead="Read secrets from the environment or a secret manager; rotate any secret that was committed.",
        known_problems=("Test paths (tests/, test_*.py, conftest.py, fixtures, docs, examples) are skipped.\n"
                        "Name-based findings need a literal that looks like a secret: no whitespace, not a\n"
                        "placeholder, template, URL or identifier-like name. Token formats are also searched\n"
                        "in every non-Python text file."),
        fix="read the secret from the environment or a secret manager, and rotate it",
        references=_AUTH_REFS,
    ),
    Rule(
        code="BDL604", name="debug-mode-exposed", category="auth-bypass", severity=BLOCK, confidence="high",
        cwe=("CWE-489", "CWE-94"),
        summary="Debug mode exposed (Flask/Werkzeug debugger on 0.0.0.0, Django DEBUG with ALLOWED_HOSTS '*')",
        what="Flags app.run(debug=True, host='0.0.0.0'), WERKZEUG_DEBUG_PIN=off, Django DEBUG = True together with ALLOWED_HOSTS = ['*'].",
        why="The Werkzeug debugger is a Python console in the browser: exposed on a network interface it gives remote code execution to anyone who can reach the port.",
        example='app.run(host="0.0.0.0", debug=True)',
        use_instead="Debug only on 127.0.0.1; production via a WSGI server with DEBUG off.",
        fix="bind the debug server to 127.0.0.1 or turn debug off",
    ),
    Rule(
        code="BDL605", name="permissive-access", category="auth-bypass", severity=BLOCK, confidence="medium",
        cwe=("CWE-942", "CWE-352", "CWE-732"),
        summary="Permissive access: CORS * with credentials, csrf_exempt added, world-writable files",
        what="Flags CORS allowing any origin with credentials, views newly marked csrf_exempt, and chmod to world-writable modes (0o777, 0o666).",
        why="Any web page a logged-in user visits can then act as that user (CORS/CSRF), and any local user can replace a world-writable script or config the service runs.",
        example='CORS(app, origins="*", supports_credentials=True)',
        use_instead="List trusted origins explicitly; keep CSRF protection; use 0o755/0o644 or stricter.",
        fix="list allowed origins explicitly / keep CSRF / use restrictive file modes",
    ),
    Rule(
        code="BDL606", name="auth-always-succeeds", category="auth-bypass", severity=WARN, confidence="medium",
        cwe=("CWE-287",),
        summary="Authentication or verification function that always returns success",
        what=("Flags functions named like verify/authenticate/check_password/has_permission whose every path\n"
              "returns True (or the user) without a check (a warning), and, blocking, verifications that fail\n"
              "open: success returned from an except handler or after swallowing the error, or when the\n"
              "signature/token is missing or malformed (`if not sig: return True`). In JavaScript/TypeScript,\n"
              "Go and Java the same: `catch { return true }`, Go `if err != nil { return true }` or a nil\n"
              "error after a failed Verify/Parse, a jsonwebtoken callback `if (err) return next()`, a 2xx\n"
              "answer from the catch of a webhook handler, `if (!token) return next()` in a middleware that\n"
              "answers 401 elsewhere."),
        why=("A stubbed-out verifier passes every test that only checks the happy path, and in production it lets\n"
             "everyone in. A verifier that fails open lets in whoever sends no signature or a garbled token."),
        example="def verify_signature(payload, signature):\n    return True",
        use_instead="Implement the check, or raise NotImplementedError so a missing implementation fails closed.",
        fixes=(
            (("javascript", "go", "java"), "deny on every error path and when the credential is missing: return false, an error or 401"),
        ),
        fix="implement the check or raise NotImplementedError",
    ),
]
