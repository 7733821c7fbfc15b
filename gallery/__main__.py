"""`python -m gallery ...` is the `gallery` command."""
from gallery.console import main

main()
