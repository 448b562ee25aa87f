"""Genomic language models: Hugging Face causal/masked scorers, Evo 2, tokenizers, the remote-code guard, weight digests."""
