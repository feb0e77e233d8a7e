import sys

from publisher.command import main

sys.exit(main())
