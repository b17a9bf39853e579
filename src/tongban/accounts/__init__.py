"""L1 accounts: regions, departments, persons, legal persons, officials and their roles."""
