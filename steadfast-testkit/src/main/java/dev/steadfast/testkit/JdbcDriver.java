package dev.steadfast.testkit;

/** The two drivers every scenario runs with, and how to address a server through each. */
public enum JdbcDriver {
    MARIADB("jdbc:mariadb://", ""),
    // The servers run without TLS; Connector/J then needs the RSA public key exchange allowed.
    MYSQL("jdbc:mysql://", "sslMode=DISABLED&allowPublicKeyRetrieval=true");

    private final String prefix;
    private final String defaultParameters;

    JdbcDriver(String prefix, String defaultParameters) {
        this.prefix = prefix;
        this.defaultParameters = defaultParameters;
    }

    /** A URL for a database on a host and port, with this driver's defaults and extra parameters. */
    public String url(String host, int port, String database, String... parameters) {
        StringBuilder url = new StringBuilder(prefix)
                .append(host)
                .append(':')
                .append(port)
                .append('/')
                .append(database);
        String separator = "?";
        if (!defaultParameters.isEmpty()) {
            url.append(separator).append(defaultParameters);
            separator = "&";
        }
        for (String parameter : parameters) {
            url.append(separator).append(parameter);
            separator = "&";
        }
        return url.toString();
    }

    /** The same server address, reached through this driver instead of the URL's own. */
    public String rewrite(String url) {
        for (JdbcDriver driver : values()) {
            if (url.startsWith(driver.prefix)) {
                String rest = url.substring(driver.prefix.length());
                String withParameters = defaultParameters.isEmpty()
                        ? rest
                        : rest + (rest.contains("?") ? "&" : "?") + defaultParameters;
                return prefix + withParameters;
            }
        }
        throw new IllegalArgumentException("not a MariaDB or MySQL JDBC URL: " + url);
    }
}
