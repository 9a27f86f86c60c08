"""krm-kg: the Korea Rare Metals Knowledge Graph (facts, build, analysis, CLI)."""
