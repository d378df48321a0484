"""BDL1xx: JWT algorithm confusion and disabled signature checks."""
from backdoor_lint.catalogue import BLOCK, WARN, Invalid, Rule, Valid

_JWT_REFS = (
    "https://auth0.com/blog/critical-vulnerabilities-in-json-web-token-libraries/",
    "https://datatracker.ietf.org/doc/html/rfc8725 (JSON Web Token Best Current Practices, section 3.1)",
    "https://cwe.mitre.org/data/definitions/347.html",
)

RULES = [
    Rule(
        code="BDL101",
        name="jwt-mixed-algorithms",
        category="algorithm-confusion",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-347", "CWE-327"),
        summary="JWT verification accepts both asymmetric (RS/PS/ES/EdDSA) and symmetric (HS) algorithms",
        what=(
            "Flags a JWT verification whose allowed-algorithm list mixes an asymmetric family\n"
            "(RS*, PS*, ES*, EdDSA) with an HMAC algorithm (HS*), wherever the list is built:\n"
            "inline, a module constant, a concatenation, a settings dict, **kwargs, or 'all\n"
            "registered algorithms'. Also flags HMAC-only verification with a key whose name says\n"
            "it is a public key."
        ),
        why=(
            "The verifier passes the same key object to whichever algorithm the token's header\n"
            "names. The server holds the RSA/EC *public* key, which is public by definition. An\n"
            "attacker takes that PEM, signs a forged token with HMAC-SHA256 using the PEM bytes as\n"
            "the HMAC secret, sets alg=HS256, and the server verifies it with the same bytes: the\n"
            "forged token (any subject, any role) is accepted. One extra list entry turns\n"
            "signature verification into a formality."
        ),
        example='jwt.decode(token, PUBLIC_KEY, algorithms=["RS256", "HS256"])',
        use_instead=(
            "Accept exactly the algorithm family your key belongs to:\n"
            '    jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"])\n'
            "If you must support both during a migration, verify with two separate keys and two\n"
            "separate calls, choosing the key by a trusted `kid` lookup, never by the header's alg."
        ),
        fixes=(
            (("javascript",), 'accept only the key\'s own algorithm family, e.g. { algorithms: ["RS256"] }'),
            (("go",), 'accept only the key\'s own method: jwt.WithValidMethods([]string{"RS256"}) and a keyfunc '
                      'that checks t.Method is *jwt.SigningMethodRSA before returning the public key'),
            (("java",), 'verify with the key\'s own algorithm only, e.g. Algorithm.RSA256(publicKey, null); never '
                        'an HMAC algorithm keyed with a public key'),
        ),
        fix='accept only the key\'s own algorithm family, e.g. algorithms=["RS256"]',
        known_problems=(
            "A list of algorithms passed in from another module is not followed; the rule reports\n"
            "what it can evaluate within one module."
        ),
        references=_JWT_REFS,
    ),
    Rule(
        code="BDL102",
        name="jwt-none-algorithm",
        category="algorithm-confusion",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-347", "CWE-327"),
        summary="JWT 'none' algorithm accepted or used",
        what=(
            "Flags a JWT verification that accepts the 'none' algorithm (in any capitalisation) and\n"
            "a token signed with algorithm='none' (jwt.encode, PyJWS.encode, jose's jwt.encode and\n"
            "jws.sign; keyword, positional, through constants or **kwargs)."
        ),
        why=(
            "A token whose header says alg=none carries no signature at all. If the verifier accepts\n"
            "'none', anyone can write `{\"alg\":\"none\"}.{\"sub\":\"admin\"}.` and be admin: no key is\n"
            "needed. Issuing unsigned tokens means every token can be altered in transit."
        ),
        example='jwt.decode(token, key, algorithms=["HS256", "none"])',
        use_instead='Remove "none" and accept only real signing algorithms: algorithms=["HS256"].',
        fix='remove "none" from the accepted algorithms',
        references=_JWT_REFS,
    ),
    Rule(
        code="BDL103",
        name="jwt-signature-not-verified",
        category="algorithm-confusion",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-347",),
        summary="JWT decoded without verifying its signature, and the claims are trusted",
        what=(
            "Flags decoding with signature verification switched off (options\n"
            "{'verify_signature': False} inline or through a dict/**kwargs, legacy verify=False,\n"
            "python-jose get_unverified_claims) in a function that does not also verify the token\n"
            "properly."
        ),
        why=(
            "Unverified claims are attacker-controlled: anyone can base64-encode\n"
            "{\"sub\": \"admin\"}. Code that reads the subject, role or tenant of an unverified token\n"
            "and acts on it (issues an access token, loads a user) lets anyone impersonate anyone."
        ),
        example='claims = jwt.decode(token, options={"verify_signature": False})\nuser = User.get(claims["sub"])',
        use_instead=(
            'Verify first: jwt.decode(token, key, algorithms=["RS256"]). Reading an unverified\n'
            "header or claim is acceptable only to pick the key, followed by a verified decode in\n"
            "the same function."
        ),
        fix="verify the signature with the real key and an explicit algorithm list before using the claims",
        known_problems="Peeking at claims in one function and verifying in another is reported; verify where you read.",
        references=_JWT_REFS,
    ),
    Rule(
        code="BDL104",
        name="jwt-algorithm-from-token",
        category="algorithm-confusion",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-347", "CWE-345"),
        summary="JWT algorithm, key or key URL taken from the token's own unverified header",
        what=(
            "Flags verification whose algorithm list or key is derived from the token's unverified\n"
            "header (`get_unverified_header(t)['alg']`), and fetching keys from the header's\n"
            "`jku`/`x5u` URL."
        ),
        why=(
            "The header is written by whoever made the token. Letting it choose the algorithm\n"
            "re-opens algorithm confusion (alg=HS256 with the public key as secret, or alg=none);\n"
            "letting it choose the key URL means the attacker hosts the key that verifies their own\n"
            "forged token."
        ),
        example='alg = jwt.get_unverified_header(token)["alg"]\njwt.decode(token, key, algorithms=[alg])',
        use_instead=(
            "Fix the algorithm list in code (algorithms=[\"RS256\"]) and pick keys only from a pinned\n"
            "key set by `kid` (e.g. PyJWKClient on your own IdP's JWKS URL)."
        ),
        fix="hard-code the algorithm list; select keys from a pinned key set, never from the header",
        references=_JWT_REFS,
    ),
    Rule(
        code="BDL105",
        name="jwt-keyfunc-ignores-method",
        category="algorithm-confusion",
        severity=BLOCK,
        confidence="high",
        cwe=("CWE-347", "CWE-327"),
        summary="Go jwt keyfunc returns a key without checking token.Method (the Go form of BDL101)",
        what=(
            "Flags a golang-jwt key function that returns the verification key without checking\n"
            "`token.Method` (a type switch or assertion on *jwt.SigningMethodRSA etc.), when the\n"
            "parser is not restricted with jwt.WithValidMethods."
        ),
        why=(
            "golang-jwt verifies with whatever method the token's header names, using the key the\n"
            "keyfunc returns. If the keyfunc hands back RSA public key bytes for any token, an\n"
            "attacker signs with HS256 using those public bytes as the secret and the token verifies."
        ),
        example="jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return pubKeyPEM, nil })",
        use_instead=(
            "Check the method in the keyfunc (`if _, ok := t.Method.(*jwt.SigningMethodRSA); !ok { return\n"
            'nil, errUnexpected }`) or pass jwt.WithValidMethods([]string{"RS256"}) to the parser.'
        ),
        fix="check t.Method in the keyfunc or pass jwt.WithValidMethods([]string{\"RS256\"})",
        references=_JWT_REFS,
        invalid=(Invalid('package auth\n\nimport "github.com/golang-jwt/jwt/v5"\n\n'
                         'func Parse(s string, pub []byte) (*jwt.Token, error) {\n'
                         '\treturn jwt.Parse(s, func(t *jwt.Token) (interface{}, error) {\n\t\treturn pub, nil\n\t})\n}\n',
                         "BDL105", 6, path="auth.go"),),
        valid=(Valid('package auth\n\nimport "github.com/golang-jwt/jwt/v5"\n\n'
                     'func Parse(s string, pub []byte) (*jwt.Token, error) {\n'
                     '\treturn jwt.Parse(s, func(t *jwt.Token) (interface{}, error) {\n\t\treturn pub, nil\n'
                     '\t}, jwt.WithValidMethods([]string{"RS256"}))\n}\n', "BDL105", path="auth.go"),
               Valid('package auth\n\nimport (\n\t"errors"\n\n\t"github.com/golang-jwt/jwt/v5"\n)\n\n'
                     'func Parse(s string, pub any) (*jwt.Token, error) {\n'
                     '\treturn jwt.Parse(s, func(t *jwt.Token) (interface{}, error) {\n'
                     '\t\tif _, ok := t.Method.(*jwt.SigningMethodRSA); !ok {\n'
                     '\t\t\treturn nil, errors.New("unexpected signing method")\n\t\t}\n'
                     '\t\treturn pub, nil\n\t})\n}\n', "BDL105", path="auth.go")),
    ),
    Rule(
        code="BDL106",
        name="jwt-decode-without-algorithms",
        category="algorithm-confusion",
        severity=WARN,
        confidence="medium",
        cwe=("CWE-347",),
        summary="JWT verified without an explicit algorithm allow-list",
        what=(
            "Flags JWT verification calls (python-jose jwt.decode / jws.verify, PyJWT decode with a\n"
            "key) that give no algorithm list, so the library's default decides."
        ),
        why=(
            "Without an allow-list some libraries (python-jose, PyJWT 1.x) accept whatever the\n"
            "token's header says, which re-opens RS256-to-HS256 confusion and 'none'. Newer versions\n"
            "raise instead, which turns an upgrade into an outage that someone 'fixes' badly."
        ),
        example="jose.jwt.decode(token, PUBLIC_KEY)",
        use_instead='Always pass the algorithm list: jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"]).',
        fix='pass algorithms=["<your one algorithm>"] explicitly',
        references=_JWT_REFS,
    ),
]
