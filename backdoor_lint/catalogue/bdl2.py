"""BDL2xx: weakened cryptography."""
from backdoor_lint.catalogue import BLOCK, Rule

_CRYPTO_REFS = (
    "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html",
    "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
)

RULES = [
    Rule(
        code="BDL201", name="weak-hash-for-security", category="weak-crypto", severity=BLOCK, confidence="high",
        cwe=("CWE-327", "CWE-328"),
        summary="MD5, SHA-1 or MD4 used for a password, token, signature or key",
        what=("Flags MD5/SHA-1/MD4 (direct constructors, hashlib.new with a constant name, hmac with\n"
              "digestmod md5, a warning) when the value hashed or produced is security material: a password,\n"
              "token, key, salt, nonce, signature or session id, and when a digest of downloaded data is\n"
              "compared with an expected one (an integrity check). Content hashes, cache keys, ETags and\n"
              "usedforsecurity=False are not findings, nor is SHA-1 inside HMAC: as the HMAC's digest or\n"
              "deriving an HMAC key from a secret (Django's salted_hmac), where collisions do not matter\n"
              "and SHA-1's preimage resistance holds; MD5 there is a warning, a password input blocks.\n"
              "Also crypt.crypt/mksalt with DES-crypt (METHOD_CRYPT, a two-character salt) or MD5-crypt\n"
              "(METHOD_MD5, a $1$ salt)."),
        why=("MD5 and SHA-1 have practical collision attacks and are cheap to brute-force. A password\n"
             "stored as md5(password) is cracked at billions of guesses per second on one GPU; a\n"
             "signature or token built on them can be forged by collision. A model that 'simplifies'\n"
             "a hash to MD5 quietly turns every stored credential into plaintext."),
        example="digest = hashlib.md5(password.encode()).hexdigest()",
        use_instead=("Passwords: argon2-cffi, bcrypt or hashlib.scrypt. Tokens and MACs: hmac with SHA-256,\n"
                     "or secrets.token_urlsafe(). Non-security hashing: pass usedforsecurity=False."),
        fix="use SHA-256/HMAC-SHA-256 for integrity, a password hash (argon2/bcrypt/scrypt) for passwords",
        known_problems=("Security context is read from names (password, token, secret, salt, signature...), from\n"
                        "where the digest goes (assignment target, keyword, dict key, return from a named function\n"
                        "and its callers, cookies, HMAC/cipher keys, comparisons with request data). A weak hash of\n"
                        "a secret whose names say nothing is missed; HMAC-SHA1 is not flagged, HMAC-MD5 is a warning.\n"
                        "An integrity check is recognised when the hashed data comes from a network call in the\n"
                        "same module and the digest is compared (==, !=, compare_digest) directly or via one name."),
        references=_CRYPTO_REFS,
    ),
    Rule(
        code="BDL202", name="fast-hash-for-password", category="weak-crypto", severity=BLOCK, confidence="medium",
        cwe=("CWE-916", "CWE-759"),
        summary="Fast general-purpose hash (SHA-2/SHA-3/BLAKE2) used to store a password",
        what="Flags sha256(password + salt) and similar: a fast hash applied to a password for storage.",
        why=("Fast hashes are built to be fast: a leaked table of sha256(salt+password) falls to GPU\n"
             "cracking at billions of guesses per second. Password storage needs a deliberately slow,\n"
             "memory-hard function."),
        example="stored = hashlib.sha256((salt + password).encode()).hexdigest()",
        use_instead="argon2-cffi PasswordHasher, bcrypt.hashpw, or hashlib.scrypt / pbkdf2_hmac with >= 600k iterations.",
        fix="hash passwords with argon2, bcrypt or scrypt, not a fast hash",
        references=_CRYPTO_REFS,
    ),
    Rule(
        code="BDL203", name="broken-cipher", category="weak-crypto", severity=BLOCK, confidence="high",
        cwe=("CWE-327",),
        summary="Broken cipher: DES, 3DES, RC4, RC2, Blowfish, or XOR 'encryption'",
        what="Flags constructing DES, TripleDES, ARC4/RC4, RC2, Blowfish, CAST5 or IDEA ciphers, and XOR with a fixed key used as encryption.",
        why=("These ciphers are broken or have 64-bit blocks (Sweet32): recorded traffic or stored data\n"
             "encrypted with them can be decrypted by an attacker. XOR with a constant key is an\n"
             "obfuscation anyone reverses from one known plaintext."),
        example="cipher = DES.new(key, DES.MODE_CBC, iv)",
        use_instead="AES-GCM or ChaCha20-Poly1305 (cryptography's AESGCM / ChaCha20Poly1305), or Fernet.",
        fixes=(
            (("javascript", "go", "java"), 'use an authenticated cipher: AES-GCM or ChaCha20-Poly1305'),
        ),
        fix="use AES-GCM, ChaCha20-Poly1305 or Fernet",
        references=_CRYPTO_REFS,
    ),
    Rule(
        code="BDL204", name="ecb-mode", category="weak-crypto", severity=BLOCK, confidence="high",
        cwe=("CWE-327",),
        summary="Block cipher in ECB mode",
        what="Flags AES (or any block cipher) in ECB mode, however the mode constant is reached.",
        why=("ECB encrypts equal plaintext blocks to equal ciphertext blocks, so structure leaks (the\n"
             "'ECB penguin'), and blocks can be cut and pasted between messages to forge records,\n"
             "e.g. swapping the role block of an encrypted session cookie."),
        example="AES.new(key, AES.MODE_ECB)",
        use_instead="An authenticated mode: AES-GCM (AESGCM in cryptography) or Fernet.",
        fix="use AES-GCM instead of ECB",
        references=_CRYPTO_REFS,
    ),
    Rule(
        code="BDL205", name="static-iv-or-nonce", category="weak-crypto", severity=BLOCK, confidence="high",
        cwe=("CWE-329", "CWE-1204"),
        summary="Static or zero IV, nonce or salt",
        what=("Flags an IV, nonce or salt that is a literal, a module constant or a constant expression such as\n"
              "b\"\\0\" * 16: PyCryptodome iv/nonce, cryptography modes (CBC/CTR/OFB/CFB/GCM) and AEAD encrypt\n"
              "nonces, PBKDF2/scrypt/bcrypt salts. HKDF salts (allowed to be fixed) are not findings."),
        why=("Reusing a nonce with AES-GCM or ChaCha20 reveals the XOR of plaintexts and the\n"
             "authentication key, letting an attacker forge messages; a fixed CBC IV leaks equal\n"
             "prefixes; a fixed salt makes one precomputed table crack every password."),
        example='cipher = AES.new(key, AES.MODE_CBC, iv=b"\\x00" * 16)',
        use_instead="Generate a fresh value per message with os.urandom(12/16) or secrets.token_bytes and store it with the ciphertext.",
        fixes=(
            (("javascript",), 'generate the IV/nonce/salt with crypto.randomBytes() for every message'),
            (("go",), 'generate the IV/nonce/salt with crypto/rand (rand.Read) for every message'),
            (("java",), 'generate the IV/nonce/salt with SecureRandom.nextBytes() for every message'),
        ),
        fix="generate the IV/nonce/salt with os.urandom() for every message",
        references=_CRYPTO_REFS,
    ),
    Rule(
        code="BDL206", name="low-kdf-cost", category="weak-crypto", severity=BLOCK, confidence="high",
        cwe=("CWE-916",),
        summary="Password KDF with too low a cost (PBKDF2 < 100k, bcrypt < 10, scrypt n < 2**14)",
        what=("Flags PBKDF2 iterations below 100,000 (hashlib, cryptography, PyCryptodome incl. its 1,000 default),\n"
              "bcrypt rounds below 10, scrypt n below 2**14, argon2 time_cost < 2 or memory_cost < 19 MiB,\n"
              "passlib .using(rounds=...), and Django password-hasher subclasses that lower the cost,\n"
              "through constants and **kwargs dicts too."),
        why=("The cost parameter is the only thing standing between a leaked hash table and its\n"
             "passwords. Dropping PBKDF2 from 600,000 to 1,000 iterations makes cracking 600x\n"
             "cheaper while every test still passes."),
        example='hashlib.pbkdf2_hmac("sha256", password, salt, 1000)',
        use_instead="PBKDF2-SHA256 >= 600,000 iterations (OWASP 2023), bcrypt rounds >= 12, scrypt n >= 2**17, or argon2id defaults.",
        fix="raise the cost to the current OWASP recommendation (e.g. 600000 PBKDF2 iterations)",
        references=_CRYPTO_REFS,
    ),
    Rule(
        code="BDL207", name="short-key", category="weak-crypto", severity=BLOCK, confidence="high",
        cwe=("CWE-326",),
        summary="Key too short: RSA/DSA below 2048 bits, weak elliptic curves",
        what="Flags generating RSA or DSA keys below 2048 bits and EC keys on curves below 224 bits (SECP192R1 and the like).",
        why="A 1024-bit RSA key is within reach of well-funded attackers and 512-bit keys are factored in hours on rented machines: every signature and session protected by the key can be forged or decrypted.",
        example="rsa.generate_private_key(public_exponent=65537, key_size=1024)",
        use_instead="RSA >= 3072 (2048 minimum), or Ed25519 / P-256 keys.",
        fixes=(
            (("javascript",), 'use modulusLength: 3072 (>= 2048) or an Ed25519/P-256 key'),
            (("go",), 'use rsa.GenerateKey(rand.Reader, 3072) (>= 2048) or an Ed25519/P-256 key'),
            (("java",), 'use KeyPairGenerator.initialize(3072) (>= 2048) or an Ed25519/P-256 key'),
        ),
        fix="use key_size=3072 (>= 2048) or an Ed25519/P-256 key",
        references=_CRYPTO_REFS,
    ),
    Rule(
        code="BDL208", name="insecure-randomness-for-secret", category="insecure-randomness", severity=BLOCK,
        confidence="high", cwe=("CWE-330", "CWE-338"),
        summary="Non-cryptographic random generator used for a token, password, key, salt, nonce or OTP",
        what=("Flags random/numpy.random/seeded PRNGs (Math.random, math/rand, java.util.Random in other\n"
              "languages) whose output becomes a token, password, key, salt, nonce, OTP or session id.\n"
              "Jitter, sampling and shuffling are not findings."),
        why=("Mersenne Twister output is predictable: after observing 624 outputs (or knowing the seed,\n"
             "such as the time) an attacker computes every past and future value, so they can predict\n"
             "the next password-reset token or session id and take over the account."),
        example="token = ''.join(random.choice(ALPHABET) for _ in range(32))",
        use_instead="secrets.token_urlsafe(32), secrets.token_hex(), secrets.choice() (crypto.randomBytes, crypto/rand, SecureRandom).",
        fixes=(
            (("javascript",), 'use crypto.randomBytes() / crypto.randomInt() / crypto.randomUUID(), not Math.random()'),
            (("go",), 'use crypto/rand (rand.Read, rand.Int), not math/rand'),
            (("java",), 'use java.security.SecureRandom, not java.util.Random or Math.random()'),
        ),
        fix="use the secrets module (secrets.token_urlsafe / secrets.choice)",
        known_problems=("The destination is recognised by its use: stored under a secret name (token, password, otp,\n"
                        "salt, session id, api key, a model such as ApiKey/LoginCode, a dict key such as\n"
                        "\"reset_code\"), set as a cookie, used as an HMAC or cipher key, returned from a function\n"
                        "that makes a code, coupon or voucher, or sent by mail/SMS/notification; following\n"
                        "assignments, returns and callers within the module. A secret stored under a neutral name\n"
                        "and never sent is missed."),
        references=("https://docs.python.org/3/library/random.html (warning: not for security)",
                    "https://cwe.mitre.org/data/definitions/338.html"),
    ),
    Rule(
        code="BDL209", name="timing-unsafe-comparison", category="timing-unsafe-compare", severity=BLOCK,
        confidence="medium", cwe=("CWE-208",),
        summary="Secret compared with == (HMAC, signature, token, password hash)",
        what=("Flags comparisons (==, !=, in, operator.eq, startswith, __eq__) where one side is, by origin, a\n"
              "MAC (hmac, or a hash over a secret, also returned by a helper or imported from the tree) or a\n"
              "configured secret (settings.*_TOKEN, an environment secret) and the other side request input,\n"
              "whatever the variables are called; and == / != where one side is an HMAC/hash digest, or a\n"
              "signature, token, API key or password (hash) compared with request data or with a stored value.\n"
              "Comparisons with literals\n"
              "and known constants (magic values are BDL601), __eq__ methods, confirmation fields and public\n"
              "values (nonces, salts) are not findings."),
        why=("== stops at the first differing byte, so the response time reveals how many leading bytes\n"
             "of a guess are right. An attacker recovers a valid webhook signature or API token byte by\n"
             "byte with a few thousand requests per byte."),
        example="if hmac.new(key, body, 'sha256').hexdigest() == request.headers['X-Signature']:",
        use_instead="hmac.compare_digest(a, b) (crypto.timingSafeEqual, subtle.ConstantTimeCompare, MessageDigest.isEqual).",
        fixes=(
            (("javascript",), 'compare secrets with crypto.timingSafeEqual() on equal-length buffers'),
            (("go",), 'compare secrets with hmac.Equal() or subtle.ConstantTimeCompare()'),
            (("java",), 'compare secrets with MessageDigest.isEqual()'),
        ),
        fix="compare secrets with hmac.compare_digest()",
        references=("https://docs.python.org/3/library/hmac.html#hmac.compare_digest",),
    ),
    Rule(
        code="BDL210", name="hardcoded-crypto-key", category="hardcoded-secret", severity=BLOCK, confidence="high",
        cwe=("CWE-321", "CWE-798"),
        summary="Hard-coded cryptographic key or JWT/HMAC secret",
        what="Flags a literal (or module constant) used as the key of a cipher, an HMAC, JWT signing/verification or Fernet.",
        why=("A key in the source is a key in every clone, CI log, wheel and backup. Anyone who has the\n"
             "code can decrypt the data or mint valid tokens for any user, and rotating it means a\n"
             "code change that everyone notices too late."),
        example='jwt.encode(claims, "s3cr3t-signing-key", algorithm="HS256")',
        use_instead="Load keys from the environment or a secret manager at run time (os.environ['JWT_SECRET'], AWS KMS, Vault).",
        fix="load the key from the environment or a secret manager",
    ),
]
