package dev.tasklane.core.model;

/** Tenant ids. Every row carries one; until API keys exist every call is the default tenant's. */
public final class Tenants {
    public static final String DEFAULT = "default";

    private Tenants() {}
}
