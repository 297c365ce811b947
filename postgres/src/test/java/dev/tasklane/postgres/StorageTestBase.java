package dev.tasklane.postgres;

import dev.tasklane.testing.TestPostgres;
import dev.tasklane.testing.TestPostgres.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Gives each test class a migrated database of its own (dropped afterwards) and each test
 * a fresh {@link TestData} with a tenant of its own, so tests never see each other's rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StorageTestBase {

    TestDatabase database;
    PostgresStorage storage;
    TestData data;

    @BeforeAll
    void openStorage() {
        database = TestPostgres.newDatabase(getClass().getSimpleName());
        storage = PostgresStorage.open(database.jdbcUrl(), null, null, 4);
        storage.migrate();
    }

    @AfterAll
    void dropDatabase() {
        if (storage != null) {
            storage.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @BeforeEach
    void newTenant() {
        data = new TestData();
    }
}
