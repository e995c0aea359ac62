/** Decision-link signing, CSRF values and where the keys come from. */
export * from './decision-link-signer';
export * from './signing-keys';
export * from './decision-link-issuer';
export * from './ssm-parameter-keys';
