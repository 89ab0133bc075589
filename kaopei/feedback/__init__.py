"""360-degree feedback, customer surveys by link, the anonymous suggestion box, performance
interviews and review meetings (DESIGN.md §3 feedback, §7 anonymity)."""
