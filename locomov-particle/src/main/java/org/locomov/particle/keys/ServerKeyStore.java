package org.locomov.particle.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.locomov.tls.MasterKey;
import org.locomov.tls.SealedKeyException;

/**
 * The Particle server key: one RSA-2048 key (e = 65537) shared by every node, created on first need and
 * kept in {@code tls_material} under the name {@value #NAME}, its PKCS#8 form sealed with the master key
 * like the ACME material (decision 1001). Two nodes creating it at once agree: the first insert wins and
 * both read it back.
 *
 * <p>Thread-safe: each call uses its own pooled connection.
 */
public final class ServerKeyStore {

    public static final String NAME = "particle/server-key";
    private static final int BITS = 2048;

    private final DataSource dataSource;
    private final Supplier<MasterKey> masterKey;
    private final String node;

    /**
     * @param masterKey opened on first use (the master key file may be created by then)
     * @param node      this node's name, recorded as {@code updated_by}
     */
    public ServerKeyStore(DataSource dataSource, Supplier<MasterKey> masterKey, String node) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        this.node = Objects.requireNonNull(node, "node");
    }

    /** The key pair, created and stored first when there is none. */
    public KeyPair loadOrCreate() {
        MasterKey key = masterKey.get();
        try (Connection connection = dataSource.getConnection()) {
            byte[] sealed = read(connection);
            if (sealed == null) {
                KeyPair created = generate();
                insertIfMissing(connection, key.seal(created.getPrivate().getEncoded(), NAME), key.id());
                sealed = read(connection);
            }
            return open(key, sealed);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read or store the Particle server key: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT sealed_key FROM tls_material WHERE name = ?")) {
            select.setString(1, NAME);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getBytes(1) : null;
            }
        }
    }

    private void insertIfMissing(Connection connection, byte[] sealed, String masterKeyId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO tls_material (name, sealed_key, master_key_id, updated_by) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO NOTHING""")) {
            insert.setString(1, NAME);
            insert.setBytes(2, sealed);
            insert.setString(3, masterKeyId);
            insert.setString(4, node);
            insert.executeUpdate();
        }
    }

    private static KeyPair open(MasterKey key, byte[] sealed) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(key.open(sealed, NAME)));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
            return new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent())),
                    privateKey);
        } catch (SealedKeyException e) {
            throw new IllegalStateException("the Particle server key was sealed with another master key than "
                    + key.id() + "; every node needs the same --tls-master-key-file", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored Particle server key is not an RSA key", e);
        }
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(BITS, RSAKeyGenParameterSpec.F4));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make RSA keys", e);
        }
    }
}
