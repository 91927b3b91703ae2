"""GoRules ZEN (``zen-engine``): the table as a JDM decision graph, and as one ZEN expression.

Graph (timed three ways: ZenDecision.evaluate, ZenEngine.evaluate with a static loader, and
ZenEngine.evaluate_batch):
       request -> 派生指标 (expression node, passThrough: the four derived rates)
       -> decision tables (rows 1, 2, 3, 4, 6, 21, 25; hit policy "first", interval cells such
          as ``(100..110]``, and output cells that are expressions for the step rows)
       + expression nodes (yes/no and checklist rows; below-target step rows 12-19)
       -> 合计 (expression node: r01 + ... + r25) -> response.
Expression path: the same 25 rows as one ZEN expression (ternaries), compiled once with
``zen.compile_expression`` and evaluated per fact set; also timed uncompiled through
``zen.evaluate_expression`` (parses the text on every call).

Float trick needed: none inside the engine. ZEN computes in rust_decimal (28 digits), and a
Python float handed over is read by its shortest repr (7.2 stays 7.2), so ``(8 - 7.2) / 0.8``
is exactly 1 and 110.00 / 100.00 * 100 is exactly 110. The step sizes are still written as
exact literals (0.8, 6.55, 62.8). The only per-call conversion is the parse of the decimal
strings of the fact set into Python floats (``_context``), which is part of the timed call.
ZEN identifiers must be ASCII, so Chinese fact names are read as ``$root["预算数"]``.
"""

from __future__ import annotations

import json

import zen
from facts import NUMERIC_FACTS


def v(name: str) -> str:
    return f'$root["{name}"]'


def _context(f: dict) -> dict:
    ctx = dict(f)
    for name in NUMERIC_FACTS:
        ctx[name] = float(f[name])
    return ctx


DERIVED = {
    "预算调整率": f'{v("预算调整数")} / {v("预算数")} * 100',
    "基本支出预算控制率": f'{v("基本支出实际支出")} / {v("基本支出年度总预算")} * 100',
    "项目支出预算控制率": f'{v("项目支出实际支出")} / {v("项目支出年度总预算")} * 100',
    "三公经费控制率": (f'{v("三公经费预算安排数")} == 0 ? null : '
                  f'{v("三公经费实际支出数")} / {v("三公经费预算安排数")} * 100'),
}
YES_NO = {
    "r05": f'({v("分项目核算结余结转")} ? 5 : 0)',
    "r07": f'({v("已制定管理制度")} ? 3 : 0) + ({v("管理制度合法合规完整")} ? 2 : 0)',
    "r08": f'({v("项目支出分项目单独核算")} ? 5 : 0)',
    "r09": f'({v("按规定内容公开")} ? 3 : 0) + ({v("按规定时限公开")} ? 2 : 0)',
    "r10": f'({v("政府采购执行")} ? 5 : 0)',
    "r11": f'({v("已制定资产管理制度")} ? 3 : 0) + ({v("资产管理制度合法合规完整")} ? 2 : 0)',
    "r20": f'({v("四G和光纤宽带自然村全覆盖")} ? 3 : 0)',
    "r22": f'({v("完成工作任务促进县域经济发展")} ? 3 : 0)',
    "r23": f'({v("社会稳定环境良好")} ? 3 : 0)',
    "r24": f'({v("推广生态技术促进环境改善")} ? 3 : 0)',
}


def _below(name: str, points: int, target: str, step: str) -> str:
    x = v(name)
    return f"({x} >= {target} ? {points} : max([0, {points} - floor(({target} - {x}) / {step})]))"


STEPS = {
    "r12": f'max([0, 3 - floor(abs({v("供养人数")} - 131) / 6.55)])',
    "r13": _below("规模工业增加值增长率", 5, "8", "0.8"),
    "r14": _below("新增规模工业企业", 5, "20", "2"),
    "r15": _below("新增高新技术企业", 3, "15", "1.5"),
    "r16": _below("新增国家级专精特新小巨人企业", 2, "1", "0.1"),
    "r17": _below("新增省级专精特新小巨人企业", 2, "3", "0.3"),
    "r18": _below("高新技术产值", 2, "628", "62.8"),
    "r19": _below("选派科技特派员", 5, "100", "10"),
}

CONTROL_BANDS = [("<= 100", "5"), ("(100..110]", "4"), ("(110..120]", "3"), ("(120..130]", "2"),
                 ("", "0")]
# key -> (list of input field expressions, list of (cells..., output expression))
TABLES = {
    "r01": ([v("预算调整率")],
            [("0", "5"), ("(0..10]", "4"), ("(10..20]", "3"), ("(20..30]", "2"), ("", "0")]),
    "r02": ([v("基本支出预算控制率")], CONTROL_BANDS),
    "r03": ([v("项目支出预算控制率")], CONTROL_BANDS),
    "r04": ([v("资金结余情况")],
            [('"无结余"', "5"), ('"未超过上年结余"', "3"), ("", "0")]),
    "r06": ([v("三公经费预算安排数"), v("三公经费实际支出数"), v("三公经费控制率")],
            [("0", "0", "", "5"), ("0", "", "", "0"), ("", "", "<= 100", "5"),
             ("", "", "", f'max([0, 5 - floor({v("三公经费控制率")} - 100)])')]),
    "r21": ([f'd({v("绩效目标完成日期")})'], [('<= d("2023-12-31")', "3"), ("", "0")]),
    "r25": ([v("服务对象满意度")],
            [(">= 90", "3"), ("", f'max([0, 3 - floor(90 - {v("服务对象满意度")})])')]),
}


def graph() -> dict:
    nodes: list[dict] = []
    edges: list[tuple[str, str]] = []
    pos = {"x": 0, "y": 0}

    def expression_node(node_id: str, name: str, exprs: dict, pass_through: bool) -> None:
        nodes.append({
            "id": node_id, "type": "expressionNode", "name": name, "position": pos,
            "content": {"passThrough": pass_through, "expressions": [
                {"id": f"{node_id}-{i}", "key": k, "value": e}
                for i, (k, e) in enumerate(exprs.items())]},
        })

    nodes.append({"id": "request", "type": "inputNode", "name": "request", "position": pos})
    expression_node("derived", "派生指标", DERIVED, True)
    edges.append(("request", "derived"))
    for key, (fields, rules) in TABLES.items():
        inputs = [{"id": f"{key}-in{i}", "name": f"in{i}", "field": fld}
                  for i, fld in enumerate(fields)]
        out_id = f"{key}-out"
        table_rules = []
        for j, rule in enumerate(rules):
            row = {"_id": f"{key}-rule{j}"}
            for inp, cell in zip(inputs, rule[:-1], strict=True):
                row[inp["id"]] = cell
            row[out_id] = rule[-1]
            table_rules.append(row)
        nodes.append({
            "id": key, "type": "decisionTableNode", "name": key, "position": pos,
            "content": {"hitPolicy": "first", "inputs": inputs,
                        "outputs": [{"id": out_id, "name": key, "field": key}],
                        "rules": table_rules},
        })
        edges += [("derived", key), (key, "total")]
    expression_node("yes_no", "是否与清单", YES_NO, False)
    expression_node("steps", "目标差距扣分", STEPS, False)
    edges += [("request", "yes_no"), ("yes_no", "total"), ("request", "steps"), ("steps", "total")]
    total = " + ".join(f"r{i:02d}" for i in range(1, 26))
    expression_node("total", "合计", {"total": total}, False)
    nodes.append({"id": "response", "type": "outputNode", "name": "response", "position": pos})
    edges.append(("total", "response"))
    return {
        "contentType": "application/vnd.gorules.decision",
        "nodes": nodes,
        "edges": [{"id": f"e{i}", "type": "edge", "sourceId": a, "targetId": b}
                  for i, (a, b) in enumerate(edges)],
    }


def make_decision():
    """Graph path: engine.create_decision(content) once, decision.evaluate(facts) per call."""
    engine = zen.ZenEngine()
    decision = engine.create_decision(json.dumps(graph(), ensure_ascii=False))

    def evaluate(f: dict):
        return decision.evaluate(_context(f))["result"]["total"]

    evaluate._keepalive = engine  # the engine must outlive the decision
    return evaluate


def make_engine_evaluate():
    """Graph path through the engine: a static loader holds the graph, engine.evaluate(key).

    With zen-engine 2.1.3 this is ~3x faster per call than ZenDecision.evaluate on the same
    graph (the engine caches the loaded decision; the ZenDecision path does not appear to).
    """
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"scoring": graph()}}})

    def evaluate(f: dict):
        return engine.evaluate("scoring", _context(f))["result"]["total"]

    return evaluate


def make_batch():
    """Graph path, many fact sets per call: engine.evaluate_batch (runs on several threads)."""
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"scoring": graph()}}})

    def evaluate_batch(fact_sets: list[dict]) -> list:
        results = engine.evaluate_batch(
            [{"key": "scoring", "context": _context(f)} for f in fact_sets])
        return [r["data"]["result"]["total"] for r in results]

    return evaluate_batch


def _table_as_ternary(fields: list[str], rules: list[tuple]) -> str:
    """A first-hit decision table written as nested ternaries over unary tests."""
    def test(field: str, cell: str) -> str:
        if cell.startswith("("):  # (lo..hi]: earlier rules of the chain already took <= lo
            return f"{field} <= {cell[1:-1].split('..')[1]}"
        if cell[:2] in ("<=", ">="):
            return f"{field} {cell}"
        return f"{field} == {cell}"

    expr = "0"
    for rule in reversed(rules):
        conds = [test(f, c) for f, c in zip(fields, rule[:-1], strict=True) if c]
        expr = rule[-1] if not conds else f"({' and '.join(conds)} ? {rule[-1]} : {expr})"
    return expr


def expression() -> str:
    """All 25 rows as one ZEN expression, derived rates inlined."""
    parts = []
    for key in [f"r{i:02d}" for i in range(1, 26)]:
        if key in TABLES:
            fields, rules = TABLES[key]
            e = _table_as_ternary(fields, rules)
        else:
            e = YES_NO.get(key) or STEPS[key]
        parts.append(e)
    text = " + ".join(f"({p})" for p in parts)
    for name, formula in DERIVED.items():
        text = text.replace(v(name), f"({formula})")
    return text


def make_compiled_expression():
    compiled = zen.compile_expression(expression())

    def evaluate(f: dict):
        return compiled.evaluate(_context(f))

    return evaluate


def make_uncompiled_expression():
    text = expression()

    def evaluate(f: dict):
        return zen.evaluate_expression(text, _context(f))

    return evaluate


if __name__ == "__main__":
    print(json.dumps(graph(), ensure_ascii=False, indent=2))
