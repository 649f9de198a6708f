from hubctl.cli.shell import main

main()
