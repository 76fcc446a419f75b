"""The newsroom keeps no tables of its own: it reads and commands the lower rooms.

The module exists so that Django sends this app's post_migrate signal (it skips apps
without a models module), on which the newsroom groups are kept complete."""
