package dev.forge.node.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code forge --version}: the version and the git commit this build was made from (written at build time). */
final class ForgeVersion implements CommandLine.IVersionProvider {
    static final String RESOURCE = "/forge-version.properties";

    @Override
    public String[] getVersion() throws IOException {
        Properties built = new Properties();
        try (InputStream in = ForgeVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) built.load(in);
        }
        return new String[] {"forge " + built.getProperty("version", "unknown") + " (commit " + built.getProperty("commit", "unknown") + ")"};
    }
}
