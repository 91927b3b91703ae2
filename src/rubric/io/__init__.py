"""Files in and out: located YAML, ruleset and facts loading, dump, schema, tables, writes."""
