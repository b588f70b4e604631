"""AI providers other than the offline analyzer (Ollama)."""
