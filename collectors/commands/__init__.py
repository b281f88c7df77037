"""What each ecotrends subcommand does; collectors/cli.py parses the command line and hands over to one of these.

Every command takes the store and the parsed arguments and returns an exit code cron can act on.
"""

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
