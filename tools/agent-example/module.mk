# tools/agent-example: an agent holding its own key, using only the zero tool;
# the walkthrough of docs/agents.md runs as a test.
SCRIPT_TESTS += tests/tools/agents_walkthrough.t
# The node cannot forge an entry of a principal holding its own key.
SCRIPT_TESTS += tests/tools/node_cannot_forge.t
