"""Error messages in Chinese: one catalog of every English message template and its Chinese.

rubric's errors keep their English text (``str(error)``, what Python callers and tests
read); ``RubricError.text("zh")`` renders the same error in Chinese for the people who
write rulesets and fill in facts. The catalog is data: each entry is an English template
with named placeholders, as the raise site writes it (``"fact '{name}' is declared
twice"``), and its Chinese (``"事实“{name}”声明了两次"``); ``translate`` matches a message
against the English templates (compiled to regular expressions once) and writes the
Chinese, each placeholder's value translated in turn (an inner message). A message no
template matches stays as it is. ``tests/test_error_messages.py`` walks the source and
fails, listing them, when a raise site's message has no entry.

Entries live in one module per area (``files``, ``ruleset``, ``rules``, ``values``,
``service``, ``commands``, ``selfeval``); adding a message is one line in the area's ``ENTRIES``.
"""

from __future__ import annotations

from .catalog import ENTRIES, LANGS, Lang, frame, translate

__all__ = ["ENTRIES", "LANGS", "Lang", "frame", "translate"]
