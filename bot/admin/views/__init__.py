"""The admin's pages, one Flask-Admin view per job."""
