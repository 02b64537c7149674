//! `--tls CERT_OUT`: a self-signed certificate for 127.0.0.1 and localhost.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// Generates a certificate, writes it as PEM to `cert_out`, and returns a TLS acceptor using it.
pub fn self_signed_acceptor(cert_out: &Path) -> std::io::Result<TlsAcceptor> {
    let names = vec!["127.0.0.1".to_owned(), "localhost".to_owned()];
    let certified = rcgen::generate_simple_self_signed(names)
        .map_err(|e| std::io::Error::other(format!("cannot create a certificate: {e}")))?;
    std::fs::write(cert_out, certified.cert.pem())?;
    let cert: CertificateDer<'static> = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| std::io::Error::other(format!("TLS setup failed: {e}")))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| std::io::Error::other(format!("TLS setup failed: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
