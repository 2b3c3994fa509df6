package dev.tandem.transcoding;

/**
 * An HttpRule the transcoder refuses at start-up. The message names the RPC and the rule, e.g.
 * {@code user.v1.UserService.GetUserById: rule "GET /v1/users/{uid}": path variable {uid}: no field
 * 'uid' in user.v1.GetUserRequest}.
 */
public final class InvalidHttpRuleException extends IllegalStateException {

    /**
     * @param rpc the RPC carrying the rule
     * @param rule the rule as text
     * @param problem what is wrong
     */
    public InvalidHttpRuleException(RpcMethod rpc, String rule, String problem) {
        this(rpc.fullName() + ": rule \"" + rule + "\": " + problem);
    }

    /** @param message the whole message, naming RPCs and rules */
    public InvalidHttpRuleException(String message) {
        super(message);
    }
}
