"""BDL504 in Java and JavaScript/TypeScript: deserialisers that build arbitrary objects (and so run
code chosen by whoever wrote the bytes) fed with data from outside the process.

Java: `ObjectInputStream.readObject`/`readUnshared` and `XMLDecoder.readObject` over a stream
that comes from the request (`getInputStream`, an `InputStream`/`byte[]`/`@RequestBody`/
`@CookieValue` parameter of a request handler), a socket or a URL; SnakeYAML's `new Yaml()` without
a `SafeConstructor` loading such data; XStream's `fromXML` with no type allow-list in the file.
The origin of the stream is read through names, constructor wrappers (`ByteArrayInputStream`,
`Base64` decoding) and parameters (secret_compare.evidence). A stream with an
`ObjectInputFilter` set is left alone.

JavaScript: `node-serialize`'s `unserialize` of anything not constant (it evaluates `_$$ND_FUNC$$_`
functions), js-yaml's `load` with the full schema or the js-types extension."""
from __future__ import annotations

import re

from backdoor_lint.checkers.lang.report import Report, short
from backdoor_lint.checkers.lang.secret_compare import evidence
from backdoor_lint.checkers.lang.syntax import argument_nodes
from backdoor_lint.checkers.lang.values import known

UNTRUSTED = re.compile(r"getInputStream\(|getReader\(|openStream\(|openConnection\(|\bSocket\b|accept\(\)|"
                       r"@(?:RequestBody|CookieValue|RequestParam|RequestHeader|PathVariable|RequestPart)\b|"
                       r"getParameter\(|getHeader\(|getCookies\(|getPart\(|MultipartFile|"
                       r"@(?:Post|Put|Patch|Get|Delete|Request)Mapping\b|@(?:POST|PUT|Path)\b|"
                       r"HttpClient|\.body\(\)|ServerSocket|DatagramPacket")
JAVA_READERS = {"readObject", "readUnshared"}
YAML_LOADERS = {"load", "loadAs", "loadAll"}
UNSAFE_YAML_SCHEMA = re.compile(r"FULL_SCHEMA|DEFAULT_FULL|js-types|jsTypes|JS_SCHEMA")


def java_deserialization(java) -> list[Report]:
    src = java.source
    reports = []
    filtered = {m.group(1) for m in re.finditer(r"(\w+)\.setObjectInputFilter\(", src.text(src.root))}
    xstream_limited = re.search(r"allowTypes|addPermission|setupDefaultSecurity|denyTypes", src.text(src.root))
    for call in src.of_type("method_invocation"):
        method = src.text(call.child_by_field_name("name"))
        receiver = call.child_by_field_name("object")
        args = argument_nodes(call)
        if receiver is None:
            continue
        made = evidence(java, receiver)
        label = None
        if method in JAVA_READERS and re.search(r"\bnew\s+(ObjectInputStream|XMLDecoder)\b", made):
            if src.text(receiver) in filtered:
                continue
            label = "XMLDecoder" if "XMLDecoder" in made else "ObjectInputStream"
            data = made
        elif method in YAML_LOADERS and re.search(r"\bnew\s+Yaml\s*\(", made) and "SafeConstructor" not in made \
                and args:
            label, data = "SnakeYAML's default constructor", evidence(java, args[0])
        elif method == "fromXML" and "XStream" in made and not xstream_limited and args:
            label, data = "XStream without a type allow-list", evidence(java, args[0])
        if label is not None and UNTRUSTED.search(data):
            reports.append(Report(src.line(call), "BDL504", f"{label} deserialises data from outside the process "
                                  f"(`{short(src.text(call))}`): the sender picks the classes that are built, and "
                                  "gadget chains in the classpath turn that into code execution. Parse a data "
                                  "format (JSON into a fixed class), or set an ObjectInputFilter / SafeConstructor / "
                                  "XStream allowTypes."))
    return reports


def js_deserialization(js, call, name: str) -> list[Report]:
    args = argument_nodes(call)
    line = js.source.line(call)
    if name in ("node-serialize.unserialize", "serialize-to-js.deserialize", "funcster.deepDeserialize") and args \
            and not known(js.value(args[0])):
        return [Report(line, "BDL504", f"`{name}` of data that is not a constant: node-serialize evaluates "
                       "`_$$ND_FUNC$$_` function bodies (an immediately invoked one runs at once), so whoever "
                       "wrote the data runs code here. Use JSON.parse and validate the fields.")]
    if name in ("js-yaml.load", "js-yaml.loadAll") and len(args) > 1:
        options = evidence(js, args[1])  # the options object, through its name
        value = js.value(args[1])
        schema = value.get("schema") if isinstance(value, dict) else None
        if UNSAFE_YAML_SCHEMA.search(options) or UNSAFE_YAML_SCHEMA.search(str(getattr(schema, "name", ""))):
            return [Report(line, "BDL504", f"`{name}` with a schema that builds JavaScript functions and regexps "
                           f"(`{short(js.source.text(args[1]))}`): a document can carry code that runs when it is used. Use "
                           "the default schema (js-yaml 4) or yaml.load with JSON_SCHEMA.")]
    return []
