"""Small pieces every domain uses: ids, time, column types, pagination."""
