"""Service guides (办事指南): one structured guide per service item of a unit, reviewed before
publication like catalog entries and filed in the unit's catalog under 办事指南."""
