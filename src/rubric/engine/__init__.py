"""The scoring engine: what evaluation prepares once per ruleset, and the evaluators."""
