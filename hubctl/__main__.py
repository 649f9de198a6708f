from hubctl.cli import main

main()
