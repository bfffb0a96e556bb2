#!/usr/bin/env python3
"""Generates the packet guard's delegating JDBC wrappers from the JDK's own interfaces.

Run from the repository root with a JDK 17 `javap` on the PATH:
    python3 steadfast-jdbc/tools/generate_guards.py
The wrappers delegate every method; the guard's logic sits in the few methods this script treats specially
(statement creation, the set* calls of a prepared statement, the execute* calls). Concrete classes instead of
reflection proxies: the guard runs on every unit of work.
"""
import re
import subprocess

PACKAGE = "dev.steadfast.jdbc.internal.guard"
OUT = "steadfast-jdbc/src/main/java/dev/steadfast/jdbc/internal/guard/"
SMALL = {"boolean", "byte", "short", "int", "long", "float", "double"}


def methods(interface):
    """(type params, return type, name, parameter types, throws, deprecated) of each public method."""
    out = subprocess.run(["javap", "-public", interface], capture_output=True,
                         text=True, check=True).stdout
    deprecated = deprecated_names(interface)
    found = []
    for line in out.splitlines():
        line = line.strip()
        m = re.match(r"public (?:abstract |default )?(<[^>]+(?:<[^>]*>)?[^>]*> )?(.+?) (\w+)\((.*)\)( throws [\w., ]+)?;$",
                     line)
        if not m or line.startswith("public static"):
            continue
        tparams, ret, name, params, throws = m.groups()
        params = split_params(params)
        found.append((tparams or "", simplify(ret), name, [simplify(p) for p in params], throws or "",
                      (name, tuple(params)) in deprecated))
    return found


def deprecated_names(interface):
    out = subprocess.run(["javap", "-public", "-v", interface], capture_output=True, text=True, check=True).stdout
    result = set()
    current = None
    for line in out.splitlines():
        m = re.match(r"\s+public .*? (\w+)\((.*)\)( throws [\w., ]+)?;$", line)
        if m:
            current = (m.group(1), tuple(split_params(m.group(2))))
        elif "Deprecated: true" in line and current:
            result.add(current)
    return result


def split_params(params):
    parts, depth, cur = [], 0, ""
    for ch in params:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def simplify(t):
    return re.sub(r"\bjava\.(?:sql|lang)\.(?=[A-Z])", "", t)


def signature(tparams, ret, name, params, throws):
    args = ", ".join(f"{p} a{i}" for i, p in enumerate(params))
    throws = simplify(throws)
    return f"    @Override\n    public {tparams}{ret} {name}({args}){throws} {{\n"


def call(target, name, params):
    return f"{target}.{name}({', '.join(f'a{i}' for i in range(len(params)))})"


def body(ret, expression):
    return f"        {'' if ret == 'void' else 'return '}{expression};\n    }}\n"


def connection_method(m):
    tparams, ret, name, params, throws, deprecated = m
    head = ("    @SuppressWarnings(\"deprecation\")\n" if deprecated else "") + signature(tparams, ret, name, params, throws)
    plain = call("delegate", name, params)
    if name == "createStatement":
        return head + body(ret, f"new GuardedStatement({plain}, guard, this)")
    if name == "prepareStatement":
        return head + body(ret, f"new GuardedPreparedStatement({plain}, guard, this, ParameterSizes.textSize(a0))")
    if name == "prepareCall":
        return head + body(ret, f"new GuardedCallableStatement({plain}, guard, this, ParameterSizes.textSize(a0))")
    return head + body(ret, plain)


def statement_method(m, target, kind):
    tparams, ret, name, params, throws, deprecated = m
    head = ("    @SuppressWarnings(\"deprecation\")\n" if deprecated else "") + signature(tparams, ret, name, params, throws)
    plain = call(target, name, params)
    if name == "getConnection" and not params:
        return head + body(ret, "connection")
    checked = name.startswith("execute") or name == "addBatch"
    if checked and params and params[0] == "String":
        return head + "        guard.check(ParameterSizes.textSize(a0));\n" + body(ret, plain)
    if kind == "prepared" and checked and not params:
        return head + "        guard.check(sqlBytes + parameters.total());\n" + body(ret, plain)
    if kind == "prepared" and name == "clearParameters":
        return head + "        parameters.clear();\n" + body(ret, plain)
    if kind == "prepared" and name.startswith("set") and len(params) >= 2 and params[0] == "int":
        if params[1] in SMALL or name == "setNull":
            record = "        parameters.recordSmall(a0);\n"
        elif params[1] in ("java.io.InputStream", "java.io.Reader") and len(params) >= 3:
            record = "        parameters.recordStream(a0, a2);\n"
        elif params[1] in ("java.io.InputStream", "java.io.Reader"):
            record = "        parameters.recordStream(a0, -1);\n"
        else:
            record = "        parameters.record(a0, a1);\n"
        return head + record + body(ret, plain)
    return head + body(ret, plain)


HEADER = """package {package};

// Generated by steadfast-jdbc/tools/generate_guards.py from the JDK 17 interface; edit the generator, not this file.

"""


def write(name, text):
    with open(OUT + name + ".java", "w") as f:
        f.write(HEADER.format(package=PACKAGE) + text)


def main():
    conn = "\n".join(connection_method(m) for m in methods("java.sql.Connection") + methods("java.sql.Wrapper"))
    write("GuardedConnection", f"""import java.sql.*;

/** The connection a unit of work sees: every statement it creates is guarded. */
final class GuardedConnection implements Connection {{
    private final Connection delegate;
    private final PacketGuard guard;

    GuardedConnection(Connection delegate, PacketGuard guard) {{
        this.delegate = delegate;
        this.guard = guard;
    }}

{conn}}}
""")
    stmt = "\n".join(statement_method(m, "delegate", "plain")
                   for m in methods("java.sql.Statement") + methods("java.sql.Wrapper"))
    write("GuardedStatement", f"""import java.sql.*;

/** A statement whose SQL text is checked against the packet limit before it is sent. */
class GuardedStatement implements Statement {{
    private final Statement delegate;
    final PacketGuard guard;
    private final Connection connection;

    GuardedStatement(Statement delegate, PacketGuard guard, Connection connection) {{
        this.delegate = delegate;
        this.guard = guard;
        this.connection = connection;
    }}

{stmt}}}
""")
    prep = "\n".join(statement_method(m, "delegate", "prepared") for m in methods("java.sql.PreparedStatement"))
    write("GuardedPreparedStatement", f"""import java.sql.*;

/** A prepared statement that tracks the size of its parameters and checks text plus parameters before sending. */
class GuardedPreparedStatement extends GuardedStatement implements PreparedStatement {{
    private final PreparedStatement delegate;
    private final long sqlBytes;
    private final ParameterSizes parameters = new ParameterSizes();

    GuardedPreparedStatement(PreparedStatement delegate, PacketGuard guard, Connection connection, long sqlBytes) {{
        super(delegate, guard, connection);
        this.delegate = delegate;
        this.sqlBytes = sqlBytes;
    }}

{prep}}}
""")
    call_ = "\n".join(statement_method(m, "delegate", "callable") for m in methods("java.sql.CallableStatement"))
    write("GuardedCallableStatement", f"""import java.sql.*;

/** A callable statement: guarded as a prepared statement for its positional parameters. */
final class GuardedCallableStatement extends GuardedPreparedStatement implements CallableStatement {{
    private final CallableStatement delegate;

    GuardedCallableStatement(CallableStatement delegate, PacketGuard guard, Connection connection, long sqlBytes) {{
        super(delegate, guard, connection, sqlBytes);
        this.delegate = delegate;
    }}

{call_}}}
""")


if __name__ == "__main__":
    main()
