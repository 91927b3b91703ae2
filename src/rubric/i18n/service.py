"""The Chinese of the HTTP service's errors (``rubric serve``): requests, bodies, limits."""

from __future__ import annotations

__all__ = ["ENTRIES"]

ENTRIES: tuple[tuple[str, str], ...] = (
    ("the request body is larger than {max_body} bytes", "请求体超过 {max_body} 字节"),
    ("unknown key '{unknown}' in claimed", "claimed 中有未知的键“{unknown}”"),
    ("claimed.total must be a number", "claimed.total 必须是数字"),
    ("missing or wrong bearer token", "缺少 bearer 令牌或令牌不对"),
    ("no ruleset '{ruleset_id}'", "没有规则集“{ruleset_id}”"),
    ("the ruleset document is nested too deeply", "规则集文档嵌套太深"),
    ("claimed.{key} maps node ids to numbers", "claimed.{key} 是“指标 id: 数字”的映射"),
    ("the request ran over the time limit of {timeout} s", "请求超过了 {timeout} 秒的时限"),
    ("the values cannot be computed exactly ({name})", "这些值无法精确计算（{name}）"),
    ("claimed.{key}.{node_id} must be a number", "claimed.{key}.{node_id} 必须是数字"),
    ("the batch has {rows} rows, more than {max_rows}", "批量请求有 {rows} 行，超过 {max_rows} 行"),
    ("the request body is not UTF-8 text ({reason} at byte {start})",
     "请求体不是 UTF-8 文本（第 {start} 字节：{reason}）"),
    ("the ruleset is not UTF-8 text ({reason} at byte {start})",
     "规则集不是 UTF-8 文本（第 {start} 字节：{reason}）"),
    ("the request body", "请求体"),
    ("line {number}", "第 {number} 行"),
    ("{what} is empty; expected a JSON document", "{what}为空；应为 JSON 文档"),
    ("{what} is nested too deeply", "{what}嵌套太深"),
    ("the request body must be a JSON object, got {body}", "请求体必须是 JSON 对象，实际是{body}"),
    ("'{key}' must be a JSON object, got {value}", "“{key}”必须是 JSON 对象，实际是{value}"),
    ("unknown language {lang}", "未知的语言 {lang}"),
    ("what_if must be true or false, got {value}", "what_if 必须是 true 或 false，实际是 {value}"),
    ("{what} is not UTF-8 text ({reason} at byte {start})",
     "{what}不是 UTF-8 文本（第 {start} 字节：{reason}）"),
    ("{what} has a lone surrogate escape in '{shown}', which is half a character",
     "{what}中的“{shown}”含有落单的代理项转义，只是半个字符"),
    ("text of whole characters (a \\uD83D\\uDE00 pair, or the character itself)",
     "由完整字符组成的文本（成对的 \\uD83D\\uDE00，或字符本身）"),
    ("number {text} in {what} is refused: {reason}", "{what}中的数字 {text} 不被接受：{reason}"),
    ("{what} is not valid JSON: {msg} (line {lineno} column {colno})",
     "{what}不是有效的 JSON：{msg}（第 {lineno} 行第 {colno} 列）"),
    ("the request body needs '{key}'", "请求体需要“{key}”"),
    ("{directory}: not a directory", "{directory}：不是文件夹"),
    ("a directory holding ruleset.yaml files", "存放 ruleset.yaml 文件的文件夹"),
    ("claimed.printed maps facts to printed values", "claimed.printed 是“事实名称: 印刷值”的映射"),
)
