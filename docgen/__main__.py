from docgen.cli import main

# Guarded: a spawned worker process imports this module again as '__mp_main__', and
# must not run the command a second time.
if __name__ == "__main__":
    main()
