"""A project's self-evaluation table as filed: header block, 资金 block, indicator rows.

Nothing here interprets a cell: target and actual cells keep their text as filed
(``selfeval.targets`` reads them), printed scores are kept as printed (``None`` for a
blank cell). Every row knows the cell it was read from, so an error can name it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..errors import Location

__all__ = ["Funds", "Project", "ProjectRow"]


@attrs.frozen
class Funds:
    """The 项目资金 block, in ``unit`` (万元 as printed by the form).

    ``initial`` 年初预算数, ``annual`` 全年预算数 (A), ``executed`` 全年执行数 (B);
    ``points`` the 分值 of the 预算执行率 row (10 under 10号), ``claimed`` its printed
    得分 (``None`` when blank), ``claimed_rate`` the printed 执行率 (B/A) in percent.
    ``available`` 实际到位资金 when the file states it.
    """

    initial: Decimal | None = None
    annual: Decimal | None = None
    executed: Decimal | None = None
    available: Decimal | None = None
    unit: str = "万元"
    points: Decimal | None = None
    claimed: Decimal | None = None
    claimed_rate: Decimal | None = None
    location: Location | None = None


@attrs.frozen
class ProjectRow:
    """One 三级指标 row: the levels as filed (merged cells filled down), the 年度指标值
    and 实际完成值 cells as text, 分值, the printed 得分 (``None`` when blank) and the
    偏差原因分析及改进措施 text. ``location`` is the row's place in the file, ``cells`` the
    place of each cell by column (``年度指标值``, ``实际完成值``, ``分值``, ``得分``) when the
    reader knows it; ``tier`` the evaluator's chosen tier (档次) when the file states one;
    ``unread`` the number cells that could not be read as numbers (column -> text as
    filed), which scoring reports as the row's problem instead of guessing."""

    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    points: Decimal | None
    claimed: Decimal | None = None
    remarks: str = ""
    location: Location | None = None
    tier: str | None = None
    cells: Mapping[str, Location] = attrs.field(factory=dict)
    unread: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Project:
    """One project's filed self-evaluation.

    ``name`` 项目名称, ``department`` 主管部门, ``unit`` 实施单位, ``year`` the 年度
    in the title when printed; ``goal`` / ``achieved`` 年度总体目标 (预期目标 / 实际完成
    情况); ``claimed_total`` 总分 and ``claimed_grade`` 自评等级 as printed; ``source``
    the file (and sheet) it was read from.
    """

    name: str
    funds: Funds
    rows: tuple[ProjectRow, ...]
    department: str = ""
    unit: str = ""
    year: int | None = None
    goal: str = ""
    achieved: str = ""
    claimed_total: Decimal | None = None
    claimed_grade: str | None = None
    source: str | None = None
