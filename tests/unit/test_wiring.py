"""The wiring holds together: every step a form can go to (or start at) is one of its
steps, every form a module begins is one its commands declare, /help follows the order
of the conversation list, and nothing is wired twice."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Iterator, Sequence
from types import ModuleType

import pytest

from handlers.commands import EVERYONE, Command
from handlers.conversations import CONVERSATIONS, WIRING
from handlers.forms import Flow
from handlers.wiring import Wiring
from tests.support.parsing import parsed


def _module(flow: Flow) -> ModuleType:
    opener = WIRING.opener(flow.name)
    assert opener is not None, flow.name
    module = inspect.getmodule(opener.handler)
    assert module is not None
    return module


def _functions(module: ModuleType, roots: Sequence[object]) -> Iterator[ast.FunctionDef]:
    """The syntax of `roots` and of every function of `module` they call, each once."""
    seen: set[str] = set()
    pending = [root for root in roots if inspect.getmodule(root) is module]
    while pending:
        function = pending.pop()
        name = getattr(function, "__name__", "")
        if name in seen:
            continue
        seen.add(name)
        tree = parsed(textwrap.dedent(inspect.getsource(function)))  # type: ignore[arg-type]
        node = tree.body[0]
        assert isinstance(node, ast.FunctionDef)
        yield node
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
                called = getattr(module, call.func.id, None)
                if inspect.isfunction(called) and inspect.getmodule(called) is module:
                    pending.append(called)


def _names(expr: ast.expr, function: ast.FunctionDef, module: ModuleType) -> set[str]:
    """The step names (before any ':arg') an expression can have."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value.partition(":")[0]}
    if isinstance(expr, ast.JoinedStr) and isinstance(expr.values[0], ast.Constant):
        return {str(expr.values[0].value).partition(":")[0]}
    if isinstance(expr, ast.IfExp):
        return _names(expr.body, function, module) | _names(expr.orelse, function, module)
    if isinstance(expr, ast.Name):
        values = [n.value for n in ast.walk(function) if isinstance(n, ast.Assign) and _assigns(n, expr.id)]
        assert values, f"{module.__name__}.{function.name}: cannot tell which step {expr.id!r} names"
        return set().union(*(_names(value, function, module) for value in values))
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id != "Go":
        helper = next(_functions(module, [getattr(module, expr.func.id)]))
        returns = [n.value for n in ast.walk(helper) if isinstance(n, ast.Return) and n.value is not None]
        return set().union(*(_names(value, helper, module) for value in returns))
    raise AssertionError(f"{module.__name__}.{function.name}: cannot tell which step {ast.unparse(expr)} names")


def _assigns(node: ast.Assign, name: str) -> bool:
    return any(isinstance(target, ast.Name) and target.id == name for target in node.targets)


def _targets(module: ModuleType, roots: Sequence[object]) -> set[str]:
    """Every step a `Go(...)` or a `begin(..., first=...)` reached from `roots` names."""
    found: set[str] = set()
    for function in _functions(module, roots):
        for call in ast.walk(function):
            if not isinstance(call, ast.Call):
                continue
            callee = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
            if callee == "Go":
                found |= _names(call.args[0], function, module)
            elif callee == "begin":
                firsts = [kw.value for kw in call.keywords if kw.arg == "first"] + call.args[3:4]
                found |= set().union(*(_names(first, function, module) for first in firsts))
    return found


def _begun(module: ModuleType) -> set[str]:
    """The forms `module` begins by name: `forms.begin(ctx, "name", ...)`."""
    tree = parsed(inspect.getsource(module))
    return {
        str(call.args[1].value)
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "begin" and isinstance(call.args[1], ast.Constant)
    }


@pytest.mark.parametrize("flow", list(WIRING.flows.values()), ids=list(WIRING.flows))
def test_every_step_a_form_can_go_to_is_one_of_its_steps(flow: Flow) -> None:
    module = _module(flow)
    opener = WIRING.opener(flow.name)
    assert opener is not None
    steps = [step for step in flow.steps.values()]
    roots: list[object] = [opener.handler, *(s.accept for s in steps), *(s.prompt for s in steps)]
    named = _targets(module, roots) | {flow.first}
    assert named <= set(flow.steps), (flow.name, named - set(flow.steps))


def test_the_walk_sees_the_steps_named_indirectly() -> None:
    report = WIRING.flow("report")
    opener = WIRING.opener("report")
    assert opener is not None
    roots = [opener.handler, *(step.accept for step in report.steps.values())]
    assert _targets(_module(report), roots) == {"activities", "ind", "check", "nar", "more", "confirm"}


@pytest.mark.parametrize("module", CONVERSATIONS, ids=[m.__name__ for m in CONVERSATIONS])  # type: ignore[attr-defined]
def test_every_form_a_module_begins_is_declared_by_its_commands(module: ModuleType) -> None:
    declared = {flow.name for cmd in module.COMMANDS for flow in cmd.forms}
    assert _begun(module) <= declared, _begun(module) - declared


def test_the_help_order_is_the_order_of_the_conversation_list() -> None:
    declared = [cmd.name for module in CONVERSATIONS for cmd in module.COMMANDS]
    assert list(WIRING.commands) == declared
    assert [cmd.name for cmd in WIRING.listed(EVERYONE, private=True)] == declared


def test_a_name_wired_twice_is_refused() -> None:
    def nothing(_ctx: object, _args: str) -> list[object]:
        return []

    twice = Command("twice", nothing, EVERYONE, "help.help")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="command 'twice'"):
        Wiring.of([_Module((twice,)), _Module((twice,))])
    form = WIRING.flow("lang")
    with pytest.raises(ValueError, match="form 'lang'"):
        opening = [Command(name, nothing, EVERYONE, "x", forms=(form,)) for name in ("a", "b")]  # type: ignore[arg-type]
        Wiring.of([_Module(tuple(opening))])


class _Module:
    def __init__(self, commands: tuple[Command, ...]) -> None:
        self.COMMANDS = commands
