#!/usr/bin/env python3
"""Render the production Synapse config template from the environment.

Runs inside the Synapse image as the container entrypoint, before `/start.py`:

    python3 render_config.py [--template T] [--output O] [--owner UID:GID] [-- CMD ...]

Template syntax (stdlib only, no Jinja, so it cannot clash with the Jinja templates
Synapse itself reads in `user_mapping_provider`):

  ${NAME}            value of NAME; an error if NAME is unset or empty
  ${NAME:-default}   value of NAME, or `default` when NAME is unset or empty
  ${NAME|list}       comma-separated value rendered as a YAML flow list of quoted
                     strings (`a.org, b.org` -> ["a.org", "b.org"]; empty -> [])
  ${NAME|quote}      value rendered as a double-quoted YAML string
  $${                a literal `${`
  # @if NAME         keep the following lines only if NAME is a boolean true
  # @if !NAME        ... only if NAME is a boolean false
  # @if NAME|list    ... only if the list NAME is not empty (`!` negates)
  # @endif           ends the innermost @if (conditions may nest; `:-default` allowed)

NAME_FILE convention: when `X_FILE` is set, `${X}` is the content of that file, stripped
of surrounding whitespace (the way Docker secrets are passed). Setting both `X` and
`X_FILE` is an error. Full-line comments are copied as they are, without substitution.

Values are never printed: errors name the variable (and the file path for `_FILE`), so
the container log can be shared without leaking a secret. The output is written with
mode 0600, atomically; `--owner` chowns it and its directory (the data volume) so that
Synapse, which `/start.py` runs as UID 991, can read it and write its signing key.
With `-- CMD ...` the renderer replaces itself with CMD once the file is written.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from typing import Callable, Mapping

DEFAULT_TEMPLATE = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "homeserver.production.yaml"
)
DEFAULT_OUTPUT = "/data/homeserver.yaml"

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# NAME, optional `:-default` (no `}` or `|` inside), optional `|filter`.
_EXPR = rf"(?P<name>{_NAME})(?::-(?P<default>[^}}|]*))?(?:\|(?P<filter>[a-z]+))?"
_PLACEHOLDER = re.compile(r"\$\$\{|\$\{" + _EXPR + r"\}")
_DIRECTIVE = re.compile(r"^\s*#\s*@(?P<kw>if|endif)\b(?P<rest>.*)$")
_CONDITION = re.compile(r"^\s*(?P<neg>!?)\s*" + _EXPR + r"\s*$")

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
_FILTERS = {"list", "quote"}


class RenderError(Exception):
    """A problem with the template or the environment. The message never holds a value."""


def _where(template_name: str, lineno: int) -> str:
    return f"{template_name}:{lineno}"


class _Env:
    """Looks up variables with the `_FILE` convention and remembers which were used."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        self.used: set[str] = set()

    def lookup(self, name: str, default: str | None, where: str) -> str:
        self.used.add(name)
        file_var = f"{name}_FILE"
        path = self._environ.get(file_var)
        direct = self._environ.get(name)
        if path:
            if direct:
                raise RenderError(
                    f"{where}: both {name} and {file_var} are set; set only one"
                )
            try:
                with open(path, encoding="utf-8") as handle:
                    value = handle.read().strip()
            except OSError as exc:
                raise RenderError(
                    f"{where}: {file_var} points to {path}, which cannot be read"
                    f" ({exc.strerror or type(exc).__name__})"
                ) from None
            if value:
                return value
            if default is not None:
                return default
            raise RenderError(f"{where}: the file in {file_var} ({path}) is empty")
        if direct:
            return direct
        if default is not None:
            return default
        state = "is empty" if direct is not None else "is not set"
        raise RenderError(
            f"{where}: environment variable {name} {state}"
            f" (set {name}, or {file_var} to a file holding the value)"
        )


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _apply_filter(name: str, value: str, filt: str | None, where: str) -> str:
    if filt is None:
        if "\n" in value or "\r" in value:
            raise RenderError(
                f"{where}: {name} holds a line break; use ${{{name}|quote}} in the template"
            )
        return value
    if filt == "list":
        items = _split_list(value)
        if any(re.search(r"\s", item) for item in items):
            raise RenderError(f"{where}: {name} is a comma-separated list; an item holds a space")
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"
    if filt == "quote":
        # A JSON string is a valid YAML double-quoted scalar.
        return json.dumps(value)
    raise RenderError(
        f"{where}: unknown filter |{filt} on {name} (known: {', '.join(sorted(_FILTERS))})"
    )


def _condition(env: _Env, text: str, where: str) -> bool:
    match = _CONDITION.match(text)
    if not match:
        raise RenderError(f"{where}: malformed @if condition (expected NAME, !NAME or NAME|list)")
    name, default, filt = match["name"], match["default"], match["filter"]
    value = env.lookup(name, default, where)
    if filt == "list":
        result = bool(_split_list(value))
    elif filt is None:
        lowered = value.strip().lower()
        if lowered in _TRUE:
            result = True
        elif lowered in _FALSE:
            result = False
        else:
            raise RenderError(
                f"{where}: {name} must be a boolean (true/false, yes/no, on/off, 1/0)"
            )
    else:
        raise RenderError(f"{where}: only |list is allowed in an @if condition, not |{filt}")
    return (not result) if match["neg"] else result


def render(
    template: str, environ: Mapping[str, str], template_name: str = "template"
) -> tuple[str, set[str]]:
    """Render `template`; returns the text and the names of the variables it used."""
    env = _Env(environ)
    out: list[str] = []
    # Each entry: (is this block kept, line number of its @if).
    stack: list[tuple[bool, int]] = []

    for lineno, line in enumerate(template.splitlines(keepends=True), start=1):
        where = _where(template_name, lineno)
        directive = _DIRECTIVE.match(line)
        if directive:
            if directive["kw"] == "if":
                parent_kept = all(kept for kept, _ in stack)
                # Conditions inside a dropped block are not evaluated: their variables
                # need not exist.
                kept = _condition(env, directive["rest"], where) if parent_kept else False
                stack.append((kept, lineno))
            else:
                if directive["rest"].strip():
                    raise RenderError(f"{where}: @endif takes no argument")
                if not stack:
                    raise RenderError(f"{where}: @endif without @if")
                stack.pop()
            continue
        if not all(kept for kept, _ in stack):
            continue
        if line.lstrip().startswith("#"):
            out.append(line)
            continue

        def substitute(match: re.Match[str], where: str = where) -> str:
            if match.group(0) == "$${":
                return "${"
            name = match["name"]
            value = env.lookup(name, match["default"], where)
            return _apply_filter(name, value, match["filter"], where)

        out.append(_PLACEHOLDER.sub(substitute, line))
        if "${" in _PLACEHOLDER.sub("", line):
            raise RenderError(
                f"{where}: malformed placeholder (expected ${{NAME}}, ${{NAME:-default}}"
                " or ${NAME|filter})"
            )

    if stack:
        raise RenderError(
            f"{_where(template_name, stack[-1][1])}: @if without a matching @endif"
        )
    return "".join(out), env.used


def _check_yaml(text: str, output: str) -> None:
    """Parse the result when PyYAML is available (it is in the Synapse image).

    Only the position and the kind of problem are reported: PyYAML's own message quotes
    the offending line, which could hold a secret.
    """
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        return
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or type(exc).__name__
        position = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RenderError(
            f"the rendered config {output} is not valid YAML{position}: {problem}"
        ) from None


def _parse_owner(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+):(\d+)", text)
    if not match:
        raise argparse.ArgumentTypeError("expected UID:GID, e.g. 991:991")
    return int(match[1]), int(match[2])


def write_output(text: str, output: str, owner: tuple[int, int] | None) -> None:
    directory = os.path.dirname(os.path.abspath(output))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".homeserver-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        if owner is not None:
            os.chown(tmp, *owner)
            os.chown(directory, *owner)
        os.replace(tmp, output)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(
    argv: list[str],
    environ: Mapping[str, str],
    execvp: Callable[[str, list[str]], object] = os.execvp,
) -> int:
    command: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, command = argv[:split], argv[split + 1 :]
    parser = argparse.ArgumentParser(
        description="Render the Synapse config template from the environment."
    )
    parser.add_argument("--template", default=DEFAULT_TEMPLATE)
    parser.add_argument("--output", default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--owner",
        type=_parse_owner,
        default=None,
        help="UID:GID to own the output and its directory (Synapse in Docker: 991:991)",
    )
    args = parser.parse_args(argv)

    try:
        try:
            with open(args.template, encoding="utf-8") as handle:
                template = handle.read()
        except OSError as exc:
            raise RenderError(
                f"cannot read the template {args.template} ({exc.strerror})"
            ) from None
        text, used = render(template, environ, os.path.basename(args.template))
        _check_yaml(text, args.output)
        write_output(text, args.output, args.owner)
    except RenderError as exc:
        print(f"render_config: error: {exc}", file=sys.stderr)
        return 1

    print(
        f"render_config: wrote {args.output} from {args.template}"
        f" ({len(used)} variables: {', '.join(sorted(used))})",
        file=sys.stderr,
    )
    if command:
        sys.stderr.flush()
        execvp(command[0], command)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], os.environ))
