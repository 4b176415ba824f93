"""`python -m quantumlayer` runs the CLI."""

from quantumlayer.cli import main

main()
