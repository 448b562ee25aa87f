"""Shared data core: records, the σ70 grammar, encodings, k-mers, FASTA/text readers, the genome, the sequence DataModule."""
