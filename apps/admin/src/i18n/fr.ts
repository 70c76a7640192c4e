import frenchMessages from "ra-language-french";
import type { TranslationMessages } from "react-admin";
import type { AppMessages } from "./en";

export const fr: AppMessages = {
  app: {
    title: "PBMS",
    bootstrap: {
      failed: "PBMS n'a pas pu démarrer : le service de connexion est injoignable ou a refusé la demande.",
      retry: "Réessayer",
    },
    menu: {
      label: "Menu principal",
      departmentSettings: "Paramètres du département",
    },
    dashboard: {
      title: "Tableau de bord",
      welcome: "Bienvenue, %{name}",
      roles: "Vos rôles : %{roles}",
      noRoles: "Vous n'avez encore aucun rôle PBMS. Demandez un accès à un administrateur.",
      loadError: "Les chiffres n'ont pas pu être chargés.",
      never: "Jamais",
      stats: {
        auditEventsToday: "Événements d'audit aujourd'hui",
        jobsRunning: "Tâches en cours",
        jobsFailed: "Tâches en échec",
        users: "Utilisateurs",
        lastSignInAt: "Dernière connexion",
      },
    },
    roles: {
      admin: "Administrateur",
      registrar: "Agent d'enregistrement",
      program_manager: "Responsable de programme",
      approver: "Approbateur",
      finance: "Finances",
      auditor: "Auditeur",
      viewer: "Lecteur",
    },
    json: {
      empty: "—",
    },
    job: {
      type: {
        AUDIT_EXPORT: "Export du journal d'audit",
      },
      state: {
        QUEUED: "En attente",
        RUNNING: "En cours",
        SUCCEEDED: "Terminée",
        FAILED: "En échec",
        CANCELLED: "Annulée",
      },
      progress: "%{done} sur %{total} (%{percent} %)",
      progressNoTotal: "%{done} traités",
      cancelRequested: "Annulation demandée",
      action: {
        exportAuditLog: "Exporter le journal d'audit",
        download: "Télécharger",
        cancel: "Annuler la tâche",
      },
      confirmCancel: {
        title: "Annuler cette tâche ?",
        content:
          "La tâche s'arrête dès que possible ; le travail déjà effectué reste consigné dans le journal d'audit.",
      },
      notification: {
        started: "Export lancé",
        startFailed: "L'export n'a pas pu être lancé : %{error}",
        cancelled: "Tâche annulée",
        cancelFailed: "La tâche n'a pas pu être annulée : %{error}",
        downloadFailed: "Le fichier n'a pas pu être téléchargé : %{error}",
      },
    },
    department: {
      title: "Paramètres du département",
      saved: "Paramètres du département enregistrés",
      notFound: "Votre département n'a pas pu être chargé.",
      validation: {
        currency: "Utilisez un code ISO 4217 à trois lettres, par ex. EUR",
        timezone: "Utilisez un fuseau horaire IANA, par ex. Europe/Paris ou UTC",
      },
    },
  },
  resources: {
    AuditEvent: {
      name: "Événement d'audit |||| Événements d'audit",
      fields: {
        id: "ID",
        occurredAt: "Date",
        actorId: "ID de l'auteur",
        actorName: "Auteur",
        departmentId: "ID du département",
        action: "Action",
        entityType: "Type d'entité",
        entityId: "ID de l'entité",
        before: "Avant",
        after: "Après",
        requestId: "ID de requête",
        q: "Recherche",
        occurredAt_gte: "Du",
        occurredAt_lte: "Au",
      },
    },
    Job: {
      name: "Tâche |||| Tâches",
      fields: {
        id: "ID",
        attempts: "Tentatives",
        cancelRequested: "Annulation demandée",
        type: "Type",
        state: "État",
        progress: "Progression",
        progressDone: "Éléments traités",
        progressTotal: "Éléments au total",
        progressPercent: "Pourcentage effectué",
        params: "Paramètres",
        result: "Résultat",
        error: "Erreur",
        createdById: "Lancée par (ID)",
        createdByName: "Lancée par",
        createdAt: "Créée le",
        startedAt: "Démarrée le",
        finishedAt: "Terminée le",
        hasOutput: "Fichier produit",
        outputUrl: "Fichier",
      },
    },
    UserProfile: {
      name: "Utilisateur |||| Utilisateurs",
      fields: {
        id: "ID",
        subject: "Sujet",
        username: "Identifiant",
        name: "Nom",
        email: "Courriel",
        roles: "Rôles",
        firstSeenAt: "Première visite",
        lastSignInAt: "Dernière connexion",
        q: "Recherche",
        role: "Rôle",
      },
    },
    Department: {
      name: "Département |||| Départements",
      fields: {
        id: "ID",
        code: "Code",
        name: "Nom",
        locale: "Langue",
        currency: "Devise",
        timezone: "Fuseau horaire",
        createdAt: "Créé le",
        updatedAt: "Modifié le",
      },
    },
  },
};

const messages: TranslationMessages = { ...frenchMessages, ...fr };
export default messages;
