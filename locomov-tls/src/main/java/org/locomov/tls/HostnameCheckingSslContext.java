package org.locomov.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;

/**
 * An initialised {@link SSLContext} whose client sockets and engines always check the server's identity
 * against its certificate. A plain JDK {@code SSLContext} leaves that to each caller
 * ({@code SSLParameters.setEndpointIdentificationAlgorithm}), which simple clients forget.
 */
final class HostnameCheckingSslContext extends SSLContext {

    HostnameCheckingSslContext(SSLContext delegate, String identificationAlgorithm) {
        super(new Spi(delegate, identificationAlgorithm), delegate.getProvider(), delegate.getProtocol());
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final String identificationAlgorithm;

        Spi(SSLContext delegate, String identificationAlgorithm) {
            this.delegate = delegate;
            this.identificationAlgorithm = identificationAlgorithm;
        }

        @Override
        protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("this SSLContext is already initialised with its trusted CA");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new CheckingSocketFactory(delegate.getSocketFactory(), identificationAlgorithm);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return checking(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return checking(delegate.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLParameters parameters = delegate.getDefaultSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(identificationAlgorithm);
            return parameters;
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }

        private SSLEngine checking(SSLEngine engine) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(identificationAlgorithm);
            engine.setSSLParameters(parameters);
            return engine;
        }
    }

    private static final class CheckingSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final String identificationAlgorithm;

        CheckingSocketFactory(SSLSocketFactory delegate, String identificationAlgorithm) {
            this.delegate = delegate;
            this.identificationAlgorithm = identificationAlgorithm;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return checking(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return checking(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return checking(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return checking(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return checking(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return checking(delegate.createSocket(address, port, localAddress, localPort));
        }

        private Socket checking(Socket socket) {
            if (socket instanceof SSLSocket ssl) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm(identificationAlgorithm);
                ssl.setSSLParameters(parameters);
            }
            return socket;
        }
    }
}
