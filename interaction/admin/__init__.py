"""Staff admin of 互动交流, by concern: messages and their action pages (messages), the dashboard
(dashboard), ratings' follow-ups (ratings), consultations and comments (consultations) and the
per-unit settings (settings)."""

from interaction.admin import consultations, messages, ratings, settings  # noqa: F401
