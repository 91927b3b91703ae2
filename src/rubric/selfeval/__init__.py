"""The project self-evaluation (财预〔2020〕10号 附件2 项目支出绩效自评表) as an input.

A project's table is filed with its own rows (三级指标 with a 年度指标值 and an
实际完成值); the scoring method is the template's. ``project`` holds the filed table as
read, ``targets`` reads the target and actual cells, ``template`` the template's method
as data, ``build`` turns a project and a template into a ruleset, facts and claimed
scores that the engine and audit score, ``read`` reads one project's file, ``many``
reads and scores many projects at once.
"""
