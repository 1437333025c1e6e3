from hooklint.cli.main import main

main()
