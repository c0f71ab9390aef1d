"""A string built when a module is imported is built once, in whatever language is active
then (English): a form's label, help text or choice must stay lazy until it is rendered.

Checked on the source with `ast`: at import time (module and class bodies, default
arguments, decorators) there may be no call to an eager `gettext`, and no lazy string may
be forced there by `%`, `+`, an f-string or a method call (`_("… %(x)s") % {...}` in a
class body is English forever). Code inside functions runs per request and may do both.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "migrations", "tests", "node_modules"}
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
LAZY = {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "npgettext_lazy"}


def translation_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    eager, lazy = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in EAGER:
                    eager.add(alias.asname or alias.name)
                elif alias.name in LAZY:
                    lazy.add(alias.asname or alias.name)
    return eager, lazy


def import_time_problems(source: str, where: str) -> list[str]:
    tree = ast.parse(source, filename=where)
    eager, lazy = translation_names(tree)
    if not eager and not lazy:
        return []
    problems = []

    def calls(node: ast.AST, names: set[str]) -> bool:
        return (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
        )

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            # Defaults and decorators run at import; the body runs later.
            for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
                visit(default)
            for decorator in getattr(node, "decorator_list", []):
                visit(decorator)
            return
        forced = (
            (isinstance(node, ast.BinOp) and (calls(node.left, lazy) or calls(node.right, lazy)))
            or (isinstance(node, ast.Attribute) and calls(node.value, lazy))
            or (isinstance(node, ast.FormattedValue) and calls(node.value, lazy))
        )
        if calls(node, eager) or forced:
            problems.append(f"{where}:{node.lineno}: {ast.unparse(node)[:90]}")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return problems


def project_modules() -> list[Path]:
    return [
        path for path in sorted(ROOT.rglob("*.py")) if not SKIP & set(path.relative_to(ROOT).parts)
    ]


def test_no_string_is_translated_or_formatted_at_import_time():
    problems = [
        problem
        for path in project_modules()
        for problem in import_time_problems(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert problems == [], "translated once at import (use gettext_lazy / lazy):\n" + "\n".join(
        problems
    )


def test_the_check_sees_a_lazy_string_forced_in_a_class_body():
    source = (
        "from django.utils.translation import gettext_lazy as _\n"
        "class F:\n"
        "    help_text = _('e.g. %(x)s') % {'x': 1}\n"
        "    def ok(self):\n"
        "        return _('fine %(x)s') % {'x': 2}\n"
    )
    assert import_time_problems(source, "probe.py") == ["probe.py:3: _('e.g. %(x)s') % {'x': 1}"]


def test_bonus_tier_labels_follow_the_language_of_the_request():
    from django.utils import translation

    from partnerships.terms.forms import KpiForm

    with translation.override("ms"):
        malay = str(KpiForm().fields["tier_threshold_0"].label)
    with translation.override("en"):
        english = str(KpiForm().fields["tier_threshold_0"].label)

    assert english == "Bonus 1: at"
    assert malay == "Bonus 1: pada"
