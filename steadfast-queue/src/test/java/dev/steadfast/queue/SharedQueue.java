package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's queue on the test JVM's shared MariaDB server ({@link MariaDbServer#shared()}). Before the class's
 * own {@code @BeforeAll} methods run, the queue's schema is migrated through a database opened with the class's
 * {@link Driver} (MariaDB Connector/J unless it names another), and the class's static fields marked {@link Open} get
 * that database and a {@link JobQueue} on it; the database is closed after the class's last test (at once when no
 * field asks for it: the class then only needs the schema, and opens databases of its own per driver).
 * <p>
 * Every class of the JVM shares the server and its schema: a test keeps to queue names of its own
 * ({@link QueueTestSupport#uniqueQueue}). A test that needs a schema or settings of its own creates a database of its
 * own ({@code BacklogPlansTest}) or a server of its own ({@code PrivateMariaDb}).
 *
 * <pre>{@code
 * @ExtendWith(SharedQueue.class)
 * @SharedQueue.Driver(JdbcDriver.MYSQL) // optional
 * class InvoiceTest {
 *     @SharedQueue.Open private static ResilientDatabase db;
 *     @SharedQueue.Open private static JobQueue queue;
 * }
 * }</pre>
 */
final class SharedQueue implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedQueue.class);

    /** Marks a static {@link ResilientDatabase} or {@link JobQueue} field the extension fills before {@code @BeforeAll}. */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    @interface Open {}

    /** The driver the class's database is opened with (MariaDB Connector/J without this annotation). */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @interface Driver {
        JdbcDriver value();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        List<Field> fields = openFields(testClass);
        Driver driver = testClass.getAnnotation(Driver.class);
        ResilientDatabase db =
                QueueTestSupport.database(MariaDbServer.shared(), driver == null ? JdbcDriver.MARIADB : driver.value());
        try {
            JobQueue queue = JobQueue.create(db);
            for (Field field : fields) {
                field.set(null, field.getType() == JobQueue.class ? queue : db);
            }
        } catch (RuntimeException | ReflectiveOperationException e) {
            db.close();
            throw e;
        }
        if (fields.isEmpty()) {
            db.close();
        } else {
            context.getStore(NAMESPACE).put(ResilientDatabase.class, db);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ResilientDatabase db = context.getStore(NAMESPACE).remove(ResilientDatabase.class, ResilientDatabase.class);
        if (db != null) {
            db.close();
        }
    }

    private static List<Field> openFields(Class<?> testClass) {
        List<Field> fields = new ArrayList<>();
        for (Field field : testClass.getDeclaredFields()) {
            if (!field.isAnnotationPresent(Open.class)) {
                continue;
            }
            if (!Modifier.isStatic(field.getModifiers())
                    || Modifier.isFinal(field.getModifiers())
                    || (field.getType() != ResilientDatabase.class && field.getType() != JobQueue.class)) {
                throw new ExtensionConfigurationException("@SharedQueue.Open marks a static, non-final field of type"
                        + " ResilientDatabase or JobQueue: " + field);
            }
            field.setAccessible(true);
            fields.add(field);
        }
        return fields;
    }
}
