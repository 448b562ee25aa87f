"""``python -m mitbench ...`` = the ``mitbench`` command."""
from mitbench.cli import main

main()
