from backdoor_lint.cli import main

raise SystemExit(main())
