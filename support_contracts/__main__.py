import sys

from support_contracts.cli import main

sys.exit(main())
