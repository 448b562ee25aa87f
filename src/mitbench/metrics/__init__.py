"""Metrics: pure functions of a scores table. Shared statistics here (:mod:`.stats`, :mod:`.unpaired`,
:mod:`.win_tests`, :mod:`.calibration`); one package or module per system: :mod:`.mit`, :mod:`.nullsettes`,
:mod:`.audit` (generation realism), :mod:`.measured` (measured compensation)."""
