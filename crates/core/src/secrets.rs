//! Random tokens and their stored form, for every secret the product hands out (session
//! cookies, client secrets, authorization codes): only the SHA-256 is ever stored. Secrets we
//! must show again (API keys) are sealed with the [`DataKey`] instead.

use base64::Engine;
use sha2::{Digest, Sha256};

/// Whether two secrets are equal, in time that depends only on their lengths (API keys,
/// CORE-01: a byte-by-byte early exit would tell an attacker how much of a guess was right).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// `bytes` random bytes from the OS, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).expect("the OS random source is available");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Lower-case hex SHA-256 of a secret (what is stored and compared) or of a document.
pub fn sha256_hex(data: impl AsRef<[u8]>) -> String {
    Sha256::digest(data.as_ref())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The key that seals secrets we must be able to show again (API keys, SYS-04) at rest:
/// XChaCha20-Poly1305 with a random 192-bit nonce per value. Configured from a file in
/// production (`ADGANG_DATA_KEY_FILE`); a test deployment may use a generated one.
#[derive(Clone)]
pub struct DataKey(chacha20poly1305::Key);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl DataKey {
    pub fn generate() -> DataKey {
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key).expect("the OS random source is available");
        DataKey(key.into())
    }

    /// 32 bytes, base64 (standard alphabet), as `generate-data-key` writes it.
    pub fn from_base64(text: &str) -> anyhow::Result<DataKey> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|e| anyhow::anyhow!("the data key is not base64: {e}"))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("the data key must be 32 bytes"))?;
        Ok(DataKey(key.into()))
    }

    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// base64(nonce ‖ ciphertext ‖ tag).
    pub fn seal(&self, plaintext: &str) -> String {
        use chacha20poly1305::aead::{Aead, KeyInit};
        let cipher = chacha20poly1305::XChaCha20Poly1305::new(&self.0);
        let mut nonce = [0u8; 24];
        getrandom::getrandom(&mut nonce).expect("the OS random source is available");
        let sealed = cipher
            .encrypt(&nonce.into(), plaintext.as_bytes())
            .expect("encryption of an in-memory value cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        base64::engine::general_purpose::STANDARD.encode(out)
    }

    /// The plaintext, or an error when the value was sealed with another key or altered.
    pub fn open(&self, sealed: &str) -> anyhow::Result<String> {
        use chacha20poly1305::aead::{Aead, KeyInit};
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .map_err(|_| anyhow::anyhow!("sealed value is not base64"))?;
        if bytes.len() < 24 {
            anyhow::bail!("sealed value too short");
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        let cipher = chacha20poly1305::XChaCha20Poly1305::new(&self.0);
        let nonce: [u8; 24] = nonce.try_into().expect("24 bytes");
        let plain = cipher
            .decrypt(&nonce.into(), ciphertext)
            .map_err(|_| anyhow::anyhow!("sealed value cannot be opened with this key"))?;
        String::from_utf8(plain).map_err(|_| anyhow::anyhow!("sealed value is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_url_safe() {
        let (a, b) = (random_token(32), random_token(32));
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    #[test]
    fn sys_04_sealed_values_open_only_with_their_key_and_are_not_plaintext() {
        let key = DataKey::generate();
        let sealed = key.seal("api-key-123");
        assert!(!sealed.contains("api-key-123"));
        assert_ne!(sealed, key.seal("api-key-123"), "a fresh nonce each time");
        assert_eq!(key.open(&sealed).unwrap(), "api-key-123");
        assert!(DataKey::generate().open(&sealed).is_err());
        let again = DataKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(again.open(&sealed).unwrap(), "api-key-123");
    }

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
