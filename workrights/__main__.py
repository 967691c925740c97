import sys

from workrights.cli import main

sys.exit(main())
