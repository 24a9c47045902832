"""Pure parsing library: one raw dump file into one article record. No Dagster import here."""

# The version of what the parser makes of a file (`etl parse --jsonl`, the staged rows). Bump it with any
# change that alters the output for some file: a field, a reject reason, a detail, how stage.py stores a
# record. The lake then re-parses every file; an edit that changes no output (a comment, a refactor) rebuilds
# nothing.
# tests/dumps/test_parser_version.py fails when the output over a fixed corpus sample changes without a bump.
# The registries (etl/registries/*.yaml) are versioned by their content, apart from this.
# 2: relevance tagger (issue 10); 3: digest themes, two headlines; 4: roundup titles; 5: topic wording
PARSER_VERSION = "5"
